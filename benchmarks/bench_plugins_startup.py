"""Benchmark: what APOC core and GDS cost the local server (jars, start-up time).

The assembled installation (``graphmodel.server.assemble``) keeps the plugins'
jars in ``plugins/`` beside ``lib/``. This script:

1. counts the jars and bytes of ``lib/`` and ``plugins/``;
2. starts the local server ``--repeat`` times with the plugins and as many times
   without them, alternately, each time in a fresh temporary home on free ports.
   "Without" is a second installation folder whose ``lib`` is a link to the
   same ``lib/`` and whose ``plugins/`` is empty: the same class path but for
   the plugins (the 19 libraries GDS and APOC bring into ``lib/`` stay, and
   register nothing). The figure is ``ServerInfo.startup_seconds``: from
   launching ``java`` until Bolt and HTTP answer (setting the initial password,
   before it, is left out). Medians are printed; the machine may be shared, so
   the spread is printed too, with the server process's CPU seconds until
   ready (steadier than wall time on a shared machine) and its resident
   memory then.

Usage: ``python benchmarks/bench_plugins_startup.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
from pathlib import Path


def jars(folder: Path) -> tuple[int, int]:
    found = list(folder.glob("*.jar"))
    return len(found), sum(j.stat().st_size for j in found)


def rss_mib(pid: int) -> float:
    """The resident set of ``pid`` in MiB (Linux), ``nan`` elsewhere."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far (Linux), ``nan`` elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_once(install: Path) -> tuple[float, float, float]:
    """Seconds from launching java until ready, the server's CPU seconds and RSS (MiB) then."""
    from graphmodel.server import LocalServer

    home = Path(tempfile.mkdtemp(prefix="gm-bench-plugins-"))
    server = LocalServer(home, install=install, bolt_port=0, http_port=0)
    try:
        info = server.start()
        return info.startup_seconds, cpu_seconds(info.pid), rss_mib(info.pid)
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from graphmodel.server import assemble

    install = assemble.assemble(on_progress=print)
    lib_n, lib_bytes = jars(install / "lib")
    plug_n, plug_bytes = jars(install / "plugins")
    print(
        f"{install}: lib/ {lib_n} jars, {lib_bytes / 2**20:.1f} MiB; "
        f"plugins/ {plug_n} jars, {plug_bytes / 2**20:.1f} MiB"
    )
    bare = Path(tempfile.mkdtemp(prefix="gm-bench-noplugins-"))
    try:
        (bare / "lib").symlink_to(install / "lib")
        (bare / "plugins").mkdir()
        times: dict[str, list[float]] = {"with plugins": [], "without": []}
        cpu: dict[str, list[float]] = {"with plugins": [], "without": []}
        rss: dict[str, list[float]] = {"with plugins": [], "without": []}
        for i in range(args.repeat):
            for name, folder in (("with plugins", install), ("without", bare)):
                seconds, used, mib = start_once(folder)
                times[name].append(seconds)
                cpu[name].append(used)
                rss[name].append(mib)
                print(
                    f"  run {i + 1} {name}: ready in {seconds:.1f} s, "
                    f"{used:.1f} CPU s, RSS {mib:.0f} MiB",
                    flush=True,
                )
    finally:
        shutil.rmtree(bare, ignore_errors=True)
    for name, values in times.items():
        print(
            f"{name:12}: median {statistics.median(values):.1f} s "
            f"(min {min(values):.1f}, max {max(values):.1f}) over {len(values)} starts; "
            f"CPU until ready: median {statistics.median(cpu[name]):.1f} s; "
            f"RSS when ready: median {statistics.median(rss[name]):.0f} MiB"
        )


if __name__ == "__main__":
    main()
