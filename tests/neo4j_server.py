"""A running Neo4j 5.26 server for the tests: a container if Docker answers, else the local server.

With a Docker engine, testcontainers starts the ``neo4j:5.26-community``
image (as docker-compose.yml does). Without one, the server assembled from
Maven Central (:class:`graphmodel.server.LocalServer`) runs in a temporary
home on free ports. Either way the test gets ``(uri, user, password)``.

Wire it once per test session, e.g. in ``conftest.py``::

    from neo4j_server import running_neo4j

    @pytest.fixture(scope="session")
    def neo4j_auth(tmp_path_factory):
        with running_neo4j(tmp_path_factory.mktemp("neo4j")) as (uri, user, password):
            yield uri, user, password

:func:`running_neo4j` raises :class:`graphmodel.errors.ServerError` when
neither Docker nor Java and Maven are there; the project's fixture lets that
error fail the Neo4j tests (never a skip: they claim to test a real server).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from graphmodel.server import LocalServer
from graphmodel.server.config import GROUPING_THRESHOLD
from graphmodel.server.credentials import generate_password

__all__ = ["IMAGE", "docker_available", "running_neo4j"]

#: The image docker-compose.yml runs.
IMAGE = "neo4j:5.26-community"
#: The image's plugins, as docker-compose.yml (the local server has the same in its plugins folder).
PLUGINS = '["apoc", "graph-data-science"]'


def docker_available(timeout: float = 3.0) -> bool:
    """Whether a Docker engine answers a ping within ``timeout`` seconds."""
    try:
        import docker
        from docker.errors import DockerException
    except ImportError:
        return False
    try:
        client = docker.from_env(timeout=timeout)
    except DockerException:
        return False
    try:
        return bool(client.ping())
    except DockerException:
        return False
    finally:
        client.close()


@contextlib.contextmanager
def _container() -> Iterator[tuple[str, str, str]]:
    try:
        from testcontainers.community.neo4j import Neo4jContainer
    except ImportError:  # testcontainers < 4.9
        from testcontainers.neo4j import Neo4jContainer

    password = generate_password()
    container = (
        Neo4jContainer(IMAGE, password=password)
        .with_env("NEO4J_db_relationship__grouping__threshold", str(GROUPING_THRESHOLD))
        .with_env("NEO4J_PLUGINS", PLUGINS)
    )
    with container:
        yield container.get_connection_url(), container.username, password


@contextlib.contextmanager
def _local(home: Path) -> Iterator[tuple[str, str, str]]:
    with LocalServer(home, bolt_port=0, http_port=0) as info:
        yield info.bolt_uri, info.user, info.password


@contextlib.contextmanager
def running_neo4j(home: Path, *, docker: bool | None = None) -> Iterator[tuple[str, str, str]]:
    """A Neo4j server for the duration of the ``with`` block; yields ``(uri, user, password)``.

    Parameters
    ----------
    home
        An empty folder for the local server's state (unused with Docker).
    docker
        ``True``: a container; ``False``: the local server; ``None``: a
        container if :func:`docker_available`, else the local server.
    """
    use_docker = docker_available() if docker is None else docker
    with _container() if use_docker else _local(home) as auth:
        yield auth
