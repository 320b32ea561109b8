"""Every command's output stays what it was: the JSON kept in ``tests/golden/``.

Every command and view (``tests/golden/commands.py``) runs on the tiny log and on a
small generated log; rows and meta must equal the stored documents, text exactly and
numbers to 1e-12 relative (1e-12 absolute near zero). Timings and the source path are
left out. After an intended change of output, ``python tests/golden/commands.py``
writes the documents anew.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "golden"))
from commands import COMMANDS, HERE, TINY, generate, run  # noqa: E402

REL = ABS = 1e-12


def same(got, want, where: str = "") -> list[str]:
    """Where ``got`` differs from ``want`` (empty when equal to the tolerance)."""
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            return [f"{where}: keys {sorted(got) if isinstance(got, dict) else got!r} "
                    f"!= {sorted(want)}"]
        return [d for k in want for d in same(got[k], want[k], f"{where}.{k}")]
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{where}: {len(got) if isinstance(got, list) else got!r} items "
                    f"!= {len(want)}"]
        return [d for i, (g, w) in enumerate(zip(got, want)) for d in same(g, w, f"{where}[{i}]")]
    if isinstance(want, float) or (isinstance(want, int) and isinstance(got, float)):
        ok = isinstance(got, (int, float)) and not isinstance(got, bool) and \
            math.isclose(got, want, rel_tol=REL, abs_tol=ABS)
        return [] if ok else [f"{where}: {got!r} != {want!r}"]
    return [] if got == want and type(got) is type(want) else [f"{where}: {got!r} != {want!r}"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("golden") / "generated")


@pytest.mark.parametrize("label", ["tiny", "generated"])
@pytest.mark.parametrize(("name", "argv"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_output_is_the_stored_one(label, name, argv, generated):
    source = TINY if label == "tiny" else generated
    want = json.loads((HERE / label / f"{name}.json").read_text(encoding="utf-8"))
    got = run(argv, source)
    diffs = same(got, want)
    assert not diffs, "\n".join(diffs[:20])


def test_the_comparison_catches_a_change():
    want = {"rows": [{"a": 1.0, "b": "x"}], "meta": {"params": {"alpha": 1.0}}}
    assert same(json.loads(json.dumps(want)), want) == []
    assert same({"rows": [{"a": 1.0 + 1e-9, "b": "x"}], "meta": want["meta"]}, want) == [
        ".rows[0].a: 1.000000001 != 1.0"]
    assert same({"rows": [{"a": 1.0, "b": "y"}], "meta": want["meta"]}, want) == [
        ".rows[0].b: 'y' != 'x'"]
    assert same({"rows": [], "meta": want["meta"]}, want) == [".rows: 0 items != 1"]
    assert same({"rows": [{"a": None, "b": "x"}], "meta": want["meta"]}, want) == [
        ".rows[0].a: None != 1.0"]
