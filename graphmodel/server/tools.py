"""The external programs the local server needs: ``java`` (17 or 21) and Maven's ``mvn``.

``java`` is ``$JAVA_HOME/bin/java`` when ``JAVA_HOME`` is set, else the
``java`` on ``PATH``; ``mvn`` is the one on ``PATH`` and is only needed for the
first assembly. When one is missing the error says so in one line and names
the two ways to get a server without them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from graphmodel.errors import ServerError

__all__ = [
    "ALTERNATIVES",
    "SUPPORTED_JAVA",
    "find_java",
    "find_maven",
    "java_major_version",
    "missing_tools_error",
]

#: How to get a Neo4j server without Java and Maven.
ALTERNATIVES = (
    "instead run `docker compose up -d` with the repository's docker-compose.yml, "
    "or set NEO4J_URI to a running Neo4j server"
)

#: Java versions Neo4j 5.26 supports (its launcher warns on any other).
SUPPORTED_JAVA = (17, 21)


def missing_tools_error(missing: list[str]) -> ServerError:
    """The one-line error for programs that are not installed."""
    names = " and ".join(missing)
    verb = "were" if len(missing) > 1 else "was"
    return ServerError(
        f"the local Neo4j server needs Java 17 or 21 and Maven, but {names} "
        f"{verb} not found on PATH; {ALTERNATIVES}"
    )


def _java_path() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("java")


def find_java(*, need_maven: bool = False) -> str:
    """The ``java`` executable to use; with ``need_maven`` also check that ``mvn`` exists.

    Raises
    ------
    ServerError
        One line naming what is missing and the alternatives.
    """
    java = _java_path()
    missing = [] if java else ["java"]
    if need_maven and not shutil.which("mvn"):
        missing.append("mvn")
    if missing:
        raise missing_tools_error(missing)
    return java


def find_maven() -> str:
    """The ``mvn`` executable on ``PATH`` (raises [`ServerError`][graphmodel.errors.ServerError] if there is none)."""
    mvn = shutil.which("mvn")
    if not mvn:
        raise missing_tools_error(["mvn"])
    return mvn


def java_major_version(java: str) -> int:
    """The feature version of ``java`` (17 for ``17.0.15``, 8 for ``1.8.0_392``)."""
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except OSError as exc:
        raise ServerError(f"cannot run {java}: {exc.strerror}; {ALTERNATIVES}") from None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        raise ServerError(
            f"cannot tell the version of {java} (`java -version` said: "
            f"{(result.stderr or result.stdout).strip()[:200]!r})"
        )
    major, minor = int(match.group(1)), int(match.group(2) or 0)
    return minor if major == 1 else major
