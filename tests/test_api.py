"""`import graphmodel` gives the documented functions and the store classes."""

import doctest

import pandas as pd

import graphmodel


def test_the_package_docstring_example_runs():
    result = doctest.testmod(graphmodel, verbose=False)
    assert result.attempted >= 3 and result.failed == 0


def test_everything_in_all_is_documented():
    for name in graphmodel.__all__:
        obj = getattr(graphmodel, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name


def test_results_are_dataframes_with_meta(tiny_dir):
    store = graphmodel.open_store(source=tiny_dir)
    df = graphmodel.graph_stats(store)
    assert isinstance(df, pd.DataFrame) and df.attrs["meta"]["command"] == "stats"
    cal = graphmodel.calibration_table(store)
    assert isinstance(cal, pd.DataFrame) and len(cal) == 9
