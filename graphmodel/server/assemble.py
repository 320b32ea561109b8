"""Assemble a Neo4j installation (its ``lib/`` and ``plugins/`` folders) from Maven Central, once.

The jars are the runtime closure of the dependencies in ``pom.xml`` beside
this module (Neo4j Community, its server with the Bolt and HTTP connectors,
the launcher classes, the Neo4j Browser, APOC core and Graph Data Science).
Maven copies them with::

    mvn -B -f <pom> dependency:copy-dependencies -DoutputDirectory=<dir>/lib

into ``<cache>/neo4j-<version>-<key>/lib``, where ``<cache>`` is
``GRAPHMODEL_CACHE``, else ``$XDG_CACHE_HOME/graphmodel``, else
``~/.cache/graphmodel``, and ``<key>`` the first 12 hex digits of the pom's
SHA-256: a changed pom assembles a new installation beside the old one, so a
server still running from the old one keeps its jars. The jars of the groups
the pom names in ``graphmodel.plugin-groups`` (APOC's and GDS's own modules)
are then moved to ``<dir>/plugins``: Neo4j registers procedures only from
jars in ``server.directories.plugins``. Maven keeps its own downloads in
``~/.m2``. A marker file holding the pom's SHA-256 makes the step
idempotent; a lock file keeps two processes from assembling at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from graphmodel.errors import ServerError
from graphmodel.server.tools import find_java, find_maven

__all__ = [
    "POM",
    "pom_properties",
    "neo4j_version",
    "cache_root",
    "install_dir",
    "plugin_groups",
    "is_assembled",
    "assemble",
]

#: The Maven project whose dependencies are the server's jars.
POM = Path(__file__).with_name("pom.xml")

MARKER = ".assembled"

_POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}
_DOWNLOADED = re.compile(r"\bDownloaded from \S+: (\S+)")


def pom_properties(pom: Path = POM) -> dict[str, str]:
    """The ``<properties>`` of ``pom`` (``neo4j.version``, ``neo4j-browser.version``, ...)."""
    root = ET.parse(pom).getroot()
    props = root.find("m:properties", _POM_NS)
    if props is None:
        return {}
    return {child.tag.split("}", 1)[1]: (child.text or "").strip() for child in props}


def neo4j_version(pom: Path = POM) -> str:
    """The Neo4j version the pom assembles, e.g. ``5.26.31``."""
    return pom_properties(pom)["neo4j.version"]


def cache_root() -> Path:
    """``GRAPHMODEL_CACHE``, else ``$XDG_CACHE_HOME/graphmodel``, else ``~/.cache/graphmodel``."""
    env = os.environ.get("GRAPHMODEL_CACHE")
    if env:
        return Path(env).expanduser().absolute()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache).expanduser().absolute() / "graphmodel"


def _pom_digest(pom: Path) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()


def install_dir(pom: Path = POM) -> Path:
    """``<cache>/neo4j-<version>-<key>``: the assembled installation (``lib/``, ``plugins/``
    and a copy of the pom); ``<key>`` is the start of the pom's SHA-256."""
    return cache_root() / f"neo4j-{neo4j_version(pom)}-{_pom_digest(pom)[:12]}"


def plugin_groups(pom: Path = POM) -> tuple[str, ...]:
    """The Maven groups whose jars go to ``plugins/`` (``graphmodel.plugin-groups`` of the pom)."""
    text = pom_properties(pom).get("graphmodel.plugin-groups", "")
    return tuple(group.strip() for group in text.split(",") if group.strip())


def _move_plugins(lib: Path, plugins: Path, groups: Iterable[str]) -> int:
    """Move the jars of ``groups`` from ``lib`` to ``plugins``; returns how many.

    Maven names each jar ``<groupId>.<artifactId>-<version>.jar`` (``prependGroupId``).
    """
    plugins.mkdir(parents=True, exist_ok=True)
    prefixes = tuple(f"{group}." for group in groups)
    moved = 0
    for jar in sorted(lib.glob("*.jar")):
        if prefixes and jar.name.startswith(prefixes):
            jar.rename(plugins / jar.name)
            moved += 1
    return moved


def is_assembled(install: Path | None = None, pom: Path = POM) -> bool:
    """Whether ``install`` holds a complete ``lib/`` and ``plugins/`` made from this very pom."""
    install = install or install_dir(pom)
    marker = install / "lib" / MARKER
    return marker.is_file() and marker.read_text().strip() == _pom_digest(pom)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (no-op where ``fcntl`` is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _artifact_name(url: str) -> str:
    """``neo4j-kernel-5.26.31.jar`` from a repository URL."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def _maven_error(lines: Iterable[str]) -> str | None:
    """The most telling ``[ERROR]`` line of Maven's output, without its prefixes, shortened."""
    errors = []
    for line in lines:
        if not line.startswith("[ERROR]"):
            continue
        text = re.sub(r"^(\[ERROR\]\s*)+", "", line).strip()
        if text and not text.endswith(":") and not text.startswith(("->", "Re-run", "To see")):
            errors.append(text)
    if not errors:
        return None
    telling = [e for e in errors if re.search(r"not found|Could not|Failed|resolv", e, re.I)]
    text = (telling or errors)[0]
    return text if len(text) <= 240 else text[:237] + "..."


def assemble(
    install: Path | None = None,
    *,
    pom: Path = POM,
    force: bool = False,
    on_progress: Callable[[str], None] | None = None,
) -> Path:
    """Make sure ``install/lib`` and ``install/plugins`` hold the server's jars; returns ``install``.

    Does nothing when the installation is complete (see `is_assembled`)
    unless ``force``. Otherwise runs Maven into a temporary folder beside
    ``install`` and renames it into place, so an interrupted run leaves no
    half-filled ``lib/``. ``on_progress`` receives short status messages.

    Raises
    ------
    ServerError
        Java or Maven is missing (one line naming the alternatives), or Maven
        failed (its last error line and the path of its full output).
    """
    install = install or install_dir(pom)
    report = on_progress or (lambda message: None)
    if not force and is_assembled(install, pom):
        return install
    find_java(need_maven=True)
    mvn = find_maven()
    version = neo4j_version(pom)
    with _locked(install.with_name(install.name + ".lock")):
        if not force and is_assembled(install, pom):  # another process finished it meanwhile
            return install
        partial = install.with_name(f"{install.name}.partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        shutil.copyfile(pom, partial / "pom.xml")
        log_path = install.with_name(f"{install.name}-maven.log")
        command = [
            mvn,
            "-B",
            "-Dstyle.color=never",
            "-f",
            str(partial / "pom.xml"),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={partial / 'lib'}",
        ]
        report(f"Assembling Neo4j {version} from Maven Central (first use only)")
        downloaded = 0
        tail: deque[str] = deque(maxlen=40)
        with open(log_path, "w", encoding="utf-8") as log:
            log.write(" ".join(command) + "\n")
            try:
                proc = subprocess.Popen(
                    command,
                    cwd=partial,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    text=True,
                    errors="replace",
                )
            except OSError as exc:
                raise ServerError(f"cannot run {mvn}: {exc.strerror}") from None
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                line = line.rstrip()
                tail.append(line)
                match = _DOWNLOADED.search(line)
                if match:
                    downloaded += 1
                    report(
                        f"Assembling Neo4j {version}: {downloaded} files downloaded "
                        f"({_artifact_name(match.group(1))})"
                    )
            code = proc.wait()
        if code != 0:
            shutil.rmtree(partial, ignore_errors=True)
            reason = _maven_error(tail) or f"exit code {code}"
            raise ServerError(
                f"Maven could not assemble Neo4j {version}: {reason} (full output in {log_path})"
            )
        plugins = _move_plugins(partial / "lib", partial / "plugins", plugin_groups(pom))
        jars = sorted((partial / "lib").glob("*.jar")) + sorted((partial / "plugins").glob("*.jar"))
        size = sum(jar.stat().st_size for jar in jars)
        (partial / "lib" / MARKER).write_text(_pom_digest(pom) + "\n")
        shutil.rmtree(install, ignore_errors=True)
        partial.rename(install)
        report(
            f"Assembled Neo4j {version}: {len(jars)} jars ({plugins} of them plugins), "
            f"{size / 2**20:.0f} MB in {install}"
        )
    return install
