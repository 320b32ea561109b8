"""0.2.0 writes labour with one spelling; the 0.1.0 names (labor_s, labor_hours) stay
readable for one release (graphmodel.renamed, CHANGELOG.md)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.renamed import current, deprecation

TINY = str(Path(__file__).parent / "fixtures" / "tiny")


def _json(args, env=None):
    r = CliRunner().invoke(main, [*args, "--source", TINY, "--format", "json"], env=env)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout), r.stderr


def test_results_use_one_spelling():
    doc, _ = _json(["value", "--by", "user"])
    assert "labour_s" in doc["rows"][0] and "labor_s" not in doc["rows"][0]
    doc, _ = _json(["value", "--by", "platform"])
    assert "labour_hours" in doc["rows"][0]


def test_the_old_names_are_written_when_asked_for():
    env = {"GRAPHMODEL_LEGACY_NAMES": "1"}
    new, _ = _json(["value", "--by", "user"])
    old, _ = _json(["value", "--by", "user"], env=env)
    assert list(old["rows"][0]) == [c.replace("labour_s", "labor_s") for c in new["rows"][0]]
    assert [r["labor_s"] for r in old["rows"]] == [r["labour_s"] for r in new["rows"]]
    old, _ = _json(["sensitivity", "--parameter", "tau_like"], env=env)
    assert "labor_hours" in {r["figure"] for r in old["rows"]}
    assert "labour_hours" not in {r["figure"] for r in old["rows"]}
    # "0" or empty: the new names
    doc, _ = _json(["value", "--by", "user"], env={"GRAPHMODEL_LEGACY_NAMES": "0"})
    assert "labour_s" in doc["rows"][0]


def test_an_old_figure_name_is_read_with_a_note():
    new, _ = _json(["sensitivity", "--figure", "labour_hours", "--parameter", "tau_like"])
    old, err = _json(["sensitivity", "--figure", "labor_hours", "--parameter", "tau_like"])
    assert old["rows"] == new["rows"] and len(new["rows"]) == 1
    assert new["rows"][0]["figure"] == "labour_hours"
    assert ("note: --figure 'labor_hours' is now 'labour_hours' (renamed in 0.2.0; the old "
            "name is read until 0.3.0)") in err


def test_current_and_deprecation():
    assert deprecation("value_returned") is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert current("labor_s") == "labour_s"
    assert caught and issubclass(caught[0].category, DeprecationWarning)


def test_explain_finds_a_column_by_its_old_name():
    from graphmodel.dictionary import COLUMNS

    r = CliRunner().invoke(main, ["explain", "labor_s"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("labour_s\n")
    assert "note: 'labor_s' is now 'labour_s'" in r.stderr
    # the dictionary's aliases are exactly the renamed names
    from graphmodel.renamed import RENAMED

    aliases = {a: c.name for c in COLUMNS for a in c.aliases}
    assert {a: n for a, n in aliases.items() if a in RENAMED} == RENAMED
