"""The local server's generated password and the file that keeps it.

Before the first start a random password is set for the admin user
``neo4j`` with Neo4j's own ``neo4j-admin dbms set-initial-password``, run
as its Java class ``org.neo4j.cli.AdminTool`` (what ``bin/neo4j-admin``
ends up calling). The password reaches it through a picocli ``@file``
argument file readable only by its owner, never the command line, where
the process list would show it. The user, password and addresses are kept
in ``<home>/credentials.json`` with mode 0600.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
from pathlib import Path

from graphmodel.errors import ServerError
from graphmodel.server.config import ServerConfig, default_home

__all__ = [
    "USER",
    "ADMIN_MAIN_CLASS",
    "credentials_file",
    "generate_password",
    "read_credentials",
    "write_credentials",
    "is_initialised",
    "set_initial_password",
]

#: The admin user Neo4j creates on first start.
USER = "neo4j"
#: ``neo4j-admin``'s entry point (in ``neo4j-command-line``; checked on 5.26.31).
ADMIN_MAIN_CLASS = "org.neo4j.cli.AdminTool"

_ALPHABET = string.ascii_letters + string.digits


def credentials_file(home: Path | None = None) -> Path:
    """``<home>/credentials.json``."""
    return (home or default_home()) / "credentials.json"


def generate_password(length: int = 24) -> str:
    """A random password of letters and digits (about 6 bits each; Neo4j needs at least 8 characters).

    Letters and digits only: nothing a shell, an argument file or a URL would
    treat specially, and no leading ``-`` an option parser could take.
    """
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def write_credentials(path: Path, **fields: str) -> Path:
    """Write ``fields`` (``user``, ``password``, ``uri``, ...) as JSON with mode 0600."""
    _write_private(path, json.dumps(fields, indent=2) + "\n")
    return path


def read_credentials(home: Path | None = None) -> dict[str, str] | None:
    """The saved credentials of the local server in ``home``, or ``None`` if there are none.

    Keys: ``user``, ``password``, ``uri`` (Bolt), ``http_uri``.
    """
    path = credentials_file(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ServerError(f"{path}: unreadable credentials file ({exc})") from None
    if not isinstance(data, dict) or not data.get("password"):
        raise ServerError(f"{path}: no password in the credentials file")
    return data


def is_initialised(config: ServerConfig) -> bool:
    """Whether the server in ``config.home`` has its users database already (``data/dbms/auth.ini``)."""
    return (config.data_dir / "dbms" / "auth.ini").exists()


def set_initial_password(config: ServerConfig, java: str, password: str) -> None:
    """Run ``neo4j-admin dbms set-initial-password`` for the server of ``config``.

    Takes effect only before the first start. ``config`` must have been
    written (the tool reads ``conf/neo4j.conf`` to find the data folder).
    """
    argfile = config.run_dir / "set-initial-password.args"
    _write_private(argfile, f"dbms\nset-initial-password\n{password}\n")
    env = dict(os.environ, NEO4J_HOME=str(config.lib.parent), NEO4J_CONF=str(config.conf_dir))
    env.pop("JAVA_OPTS", None)
    command = [java, "-cp", str(config.lib / "*"), ADMIN_MAIN_CLASS, f"@{argfile}"]
    try:
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300
        )
    finally:
        argfile.unlink(missing_ok=True)
    if result.returncode != 0:
        output = " ".join((result.stderr or result.stdout).split())[:300]
        raise ServerError(
            f"neo4j-admin dbms set-initial-password failed "
            f"(exit code {result.returncode}): {output}"
        )
