"""A partial event log as a platform might hand it over: events and follows only, and no
watch naming the share it came through (via_share empty)."""

from pathlib import Path

import pandas as pd

import graphmodel


def write_partial(folder: Path, seed: int = 11, follows: bool = True) -> Path:
    """Write a generated log (300 users, one day) into ``folder``, then keep only
    ``events.csv`` (its ``via_share`` column emptied), ``follows.csv`` (unless not
    ``follows``) and ``graphmodel.json``."""
    log = graphmodel.generate(graphmodel.GeneratorConfig(users=300, days=1, seed=seed))
    graphmodel.write_log(log, folder)
    keep = {"events.csv", "graphmodel.json"} | ({"follows.csv"} if follows else set())
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink()
    events = pd.read_csv(folder / "events.csv", dtype=str, keep_default_na=False)
    assert (events["via_share"] != "").any()
    events["via_share"] = ""
    events.to_csv(folder / "events.csv", index=False)
    return folder
