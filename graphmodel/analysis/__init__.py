"""Analyses: pure functions of a store that return DataFrames."""
