"""The command lines whose JSON output is kept in ``tests/golden/``: every command and view.

Each output is compared with the stored one by ``tests/test_golden.py`` (numbers to
1e-12 relative): what users see must not change when the code behind it is reorganised.
``python tests/golden/commands.py`` writes the stored outputs anew (only when a change of
output is intended, and said so in its commit).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TINY = HERE.parent / "fixtures" / "tiny"

#: The generated log: small, seeded, byte-identical for these options.
GENERATED = ["--users", "300", "--days", "2", "--seed", "11"]

#: (name, argv after the command's source); ``{u}`` is a user id of the log.
COMMANDS: list[tuple[str, list[str]]] = [
    ("stats", ["stats"]),
    ("calibration", ["calibration"]),
    *[(f"spread-{by}", ["spread", "--by", by]) for by in ("cascade", "stream", "user", "dataset")],
    *[(f"value-{by}", ["value", "--by", by]) for by in ("user", "stream", "platform", "actor")],
    *[(f"value-user-{a}", ["value", "--by", "user", "--attribution", a])
      for a in ("linear", "last", "first")],
    ("value-platform-params", ["value", "--by", "platform", "-p", "take_rate=0.1",
                               "-p", "lambda=0.3", "-p", "alpha=2"]),
    ("value-bootstrap", ["value", "--by", "platform", "--bootstrap", "50", "--seed", "3", "-q"]),
    ("value-scale-to-market", ["value", "--by", "platform", "--scale-to-market"]),
    *[(f"extraction-{by}", ["extraction", "--by", by]) for by in ("user", "platform")],
    ("distribution", ["distribution"]),
    ("distribution-lorenz", ["distribution", "--lorenz", "--points", "11"]),
    ("ledger", ["ledger", "{u}"]),
    *[(f"scenario-{lever}", ["scenario", "--lever", f"{lever}={value}", "-q"])
      for lever, value in (("dividend", "0.1"), ("data_union", "0.01"), ("opt_out", "0.3"),
                           ("task_cap", "3"), ("take_rate_cap", "0.02"))],
    ("sensitivity", ["sensitivity", "-q"]),
    ("simulate", ["simulate", "--seeds", "{u}", "--runs", "500", "--seed", "2", "-q"]),
    *[(f"influence-{m}", ["influence", "--k", "2", "--method", m, "--runs", "200", "--seed", "4",
                          "-q"]) for m in ("degree", "celf", "imm")],
]


def first_user(source: Path) -> str:
    """The log's first user id (the ledger's and simulate's user)."""
    import csv

    for ext in (".csv",):
        path = source / f"users{ext}"
        if path.exists():
            with open(path, newline="", encoding="utf-8") as f:
                return next(csv.DictReader(f))["user_id"]
    raise FileNotFoundError(source / "users.csv")


def run(argv: list[str], source: Path) -> dict:
    """The JSON document of one command line on ``source``."""
    from click.testing import CliRunner

    from graphmodel.cli import main

    user = first_user(source)
    args = [a.replace("{u}", user) for a in argv]
    r = CliRunner().invoke(main, [*args, "--source", str(source), "--format", "json"],
                           catch_exceptions=False)
    if r.exit_code != 0:
        raise RuntimeError(f"{' '.join(args)}: exit {r.exit_code}: {r.stderr}")
    doc = json.loads(r.stdout)
    for key in ("source", "version"):  # where the log was and which release: not output
        doc["meta"].pop(key, None)
    return _without_timings(doc)


#: Keys that hold how long something took: measurements of the machine, not results.
TIMINGS = ("seconds", "select_seconds")


def _without_timings(value):
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k not in TIMINGS}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def generate(folder: Path) -> Path:
    from click.testing import CliRunner

    from graphmodel.cli import main

    r = CliRunner().invoke(main, ["generate", *GENERATED, "--out", str(folder)],
                           catch_exceptions=False)
    if r.exit_code != 0:
        raise RuntimeError(r.stderr)
    return folder


def write_all() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sources = {"tiny": TINY, "generated": generate(Path(tmp) / "generated")}
        for label, source in sources.items():
            out = HERE / label
            out.mkdir(exist_ok=True)
            for name, argv in COMMANDS:
                doc = run(argv, source)
                text = json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
                (out / f"{name}.json").write_text(text, encoding="utf-8")
                print(f"{label}/{name}.json", file=sys.stderr)


if __name__ == "__main__":
    write_all()
