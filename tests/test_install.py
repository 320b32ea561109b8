"""A normal (non-editable) install: the console script, ``import graphmodel`` and cypher/ in the wheel."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _see_the_dependencies_of_this_interpreter(py: Path) -> None:
    """Let the new environment import the dependencies installed for the running interpreter.

    ``system_site_packages=True`` would give the *base* interpreter's packages, which inside
    a virtual environment are not where the dependencies are. A ``.pth`` file naming the
    running interpreter's site folders appends them after the environment's own, so the
    wheel installed into the environment wins, and the running interpreter's editable
    install (itself a ``.pth`` there, not processed from a path listed in a ``.pth``) is
    not seen.
    """
    site_dir = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              capture_output=True, text=True, check=True).stdout.strip()
    ours = [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and Path(p).is_dir()]
    assert ours, sys.path
    (Path(site_dir) / "_dependencies.pth").write_text("\n".join(ours) + "\n")


@pytest.mark.slow
def test_wheel_install_ships_cypher_and_the_console_script(tmp_path, tiny_dir):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, timeout=300)
    wheel = next(wheels.glob("graphmodel-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    _see_the_dependencies_of_this_interpreter(py)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps",
                    "-q", str(wheel)], check=True, timeout=300)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = subprocess.run(
        [str(py), "-c", "import graphmodel, graphmodel.cypher as c; "
         "print(graphmodel.__file__); print(c.cypher_dir()); print(c.load_cypher('stats')[:2])"],
        cwd=outside, capture_output=True, text=True, check=True, timeout=120,
    ).stdout.splitlines()
    assert str(env_dir) in where[0]
    assert where[1].startswith(str(env_dir)) and where[1].endswith("graphmodel/cypher")
    assert where[2] == "//"
    stats = subprocess.run([str(env_dir / "bin" / "graphmodel"), "stats", "--source", str(tiny_dir),
                            "--format", "csv"], cwd=outside, capture_output=True, text=True,
                           timeout=120)
    assert stats.returncode == 0, stats.stderr
    assert stats.stdout.splitlines()[1] == "node,User,6"
