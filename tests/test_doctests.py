"""The Examples in the public API's docstrings run, and give what they show.

One test per module: the modules that define the names of ``graphmodel.__all__``,
the engine protocol (``graphmodel.engines.base``) and the model modules whose
formulas carry worked examples. Examples that need a Neo4j server or Spark are
marked ``# doctest: +SKIP`` in the docstrings.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import io

import pytest

import graphmodel

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

#: Modules whose docstrings are meant to hold runnable examples.
WITH_EXAMPLES = [
    "graphmodel.analysis.calibration",
    "graphmodel.analysis.diffusion.api",
    "graphmodel.analysis.summary",
    "graphmodel.analysis.value.api",
    "graphmodel.engines.base",
    "graphmodel.engines.memory.store",
    "graphmodel.engines.neo4j.store",
    "graphmodel.errors",
    "graphmodel.eventlog.log",
    "graphmodel.eventlog.read",
    "graphmodel.eventlog.validate",
    "graphmodel.eventlog.write",
    "graphmodel.generator.config",
    "graphmodel.generator.simulate",
    "graphmodel.mathml",
    "graphmodel.output",
    "graphmodel.params",
    "graphmodel.model.labour",
    "graphmodel.model.attribution",
    "graphmodel.model.rates",
    "graphmodel.model.returned",
    "graphmodel.model.base_value",
    "graphmodel.engines.open",
    "graphmodel.model.accounting",
    "graphmodel.model.referrals",
    "graphmodel.model.inference",
    "graphmodel.analysis.inference_check",
    "graphmodel.eventlog.coverage",
    "graphmodel.eventlog.derive",
    "graphmodel.dictionary",
    "graphmodel.dictionary.markdown",
]

#: Defining modules that hold no examples yet; their docstrings are still run, should
#: examples appear.
WITHOUT_RUNNABLE_EXAMPLES: list[str] = []

MODULES = WITH_EXAMPLES + WITHOUT_RUNNABLE_EXAMPLES


def _defining_modules() -> set[str]:
    return {
        inspect.getmodule(getattr(graphmodel, name)).__name__
        for name in graphmodel.__all__
        if not name.startswith("__")
    }


def test_every_defining_module_is_covered():
    assert _defining_modules() | {"graphmodel.engines.base"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    out = io.StringIO()
    for test in finder.find(module, name):
        runner.run(test, out=out.write)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, out.getvalue()
    if name in WITH_EXAMPLES:
        assert attempted > 0, f"{name} has no doctest examples"
