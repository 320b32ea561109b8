"""A partial event log as a platform might hand it over: events and follows only, and no
watch naming the share it came through (via_share empty)."""

from pathlib import Path

import pandas as pd

import graphmodel


def write_partial(folder: Path, seed: int = 11, follows: bool = True, fmt: str = "csv") -> Path:
    """Write a generated log (300 users, one day) into ``folder``, then keep only
    ``events`` (its ``via_share`` column emptied), ``follows`` (unless not ``follows``)
    and ``graphmodel.json``; CSV or Parquet files."""
    log = graphmodel.generate(graphmodel.GeneratorConfig(users=300, days=1, seed=seed))
    graphmodel.write_log(log, folder, fmt=fmt)
    keep = {f"events.{fmt}", "graphmodel.json"} | ({f"follows.{fmt}"} if follows else set())
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink()
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pq.read_table(folder / "events.parquet")
        i = table.schema.get_field_index("via_share")
        assert table.column(i).null_count < len(table)
        nulls = pa.nulls(len(table), table.schema.field(i).type)
        pq.write_table(
            table.set_column(i, table.schema.field(i), nulls),
            folder / "events.parquet",
            compression="zstd",
        )
        return folder
    events = pd.read_csv(folder / "events.csv", dtype=str, keep_default_na=False)
    assert (events["via_share"] != "").any()
    events["via_share"] = ""
    events.to_csv(folder / "events.csv", index=False)
    return folder
