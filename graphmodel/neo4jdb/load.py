"""Load a validated event log into Neo4j (MODEL.md section 3).

The whole log is validated first, so nothing is written when anything is
wrong. Then the schema is applied (idempotently) and every table is written
in batches of ``UNWIND $rows`` through managed transactions, using the
``cypher/load/*.cypher`` files; ``REFERRED`` is derived on the server by the
first-arrival rule. Every write is keyed (node ids, event ids, row numbers,
the share a referral came through): nodes and ``FOLLOWS`` by ``MERGE``, the
event, sponsorship, task and referral relationships by dropping the rows
whose key is already in the database, before any write of the batch, then
``CREATE`` (see the comments of the Cypher files for why). Each batch is one
transaction, so loading the same log twice gives the same graph and a load
killed midway and run again ends with exactly the right graph. Loads are
not meant to run concurrently on one database.

Datetimes travel as ISO 8601 text and become ``LocalDateTime`` on the
server (:mod:`graphmodel.neo4jdb.records`). Throughput and the naive
baseline: ``benchmarks/bench_neo4j_load.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from graphmodel.analysis.social import follow_edges
from graphmodel.cypher import load_cypher
from graphmodel.eventlog.log import EventLog
from graphmodel.neo4jdb.records import batches

__all__ = ["load_log", "apply_schema", "load_steps"]

Progress = Callable[[str, int, int], None]


def apply_schema(driver, database: str | None = None) -> None:
    """Create the constraints and indexes of ``cypher/schema.cypher`` if missing, and wait for them."""
    text = load_cypher("schema")
    statements = [s.strip() for s in text.split(";\n") if s.strip()]
    with driver.session(database=database) as session:
        for stmt in statements:
            body = "\n".join(line for line in stmt.splitlines() if not line.startswith("//"))
            if body.strip():
                session.run(body.rstrip(";")).consume()


def load_steps(log: EventLog) -> list[tuple[str, str, pd.DataFrame]]:
    """The (label, cypher file, rows) steps of a load, in dependency order."""
    ev = log["events"]
    streams = log["streams"].assign(
        duration_s=(log["streams"]["ended_at"] - log["streams"]["started_at"]).dt.total_seconds()
    )

    def of_type(t: str, cols: list[str]) -> pd.DataFrame:
        return ev.loc[ev["type"] == t, cols]

    base = ["event_id", "user_id", "stream_id", "at"]
    ad = log["ad_spend"].reset_index(drop=True)
    tc = log["task_completions"].reset_index(drop=True)
    return [
        ("users", "load/users", log["users"]),
        ("streamers", "load/streamers", log["streamers"]),
        ("advertisers", "load/advertisers", log["advertisers"]),
        ("streams", "load/streams", streams),
        ("products", "load/products", log["products"]),
        ("tasks", "load/tasks", log["tasks"]),
        ("follows", "load/follows", follow_edges(log["follows"])),
        ("watches", "load/watched", of_type("watch", base + ["seconds", "via_share"])),
        ("likes", "load/liked", of_type("like", base + ["count"]).fillna({"count": 1})),
        ("comments", "load/commented", of_type("comment", base)),
        ("shares", "load/shared", of_type("share", base + ["channel"])),
        ("purchases", "load/purchased", of_type("purchase", base + ["amount", "product_id"])),
        ("ad spend", "load/sponsored", ad.assign(row=ad.index.astype("int64"))),
        ("task completions", "load/completed", tc.assign(row=tc.index.astype("int64"))),
    ]


def load_log(log: EventLog, driver, batch_size: int = 5_000, database: str | None = None,
             progress: Progress | None = None) -> dict[str, int]:
    """Write ``log`` (already validated) into the database; return rows written per step."""
    apply_schema(driver, database)
    steps = load_steps(log)
    streams = log["streams"]["stream_id"].tolist()
    total = sum(len(df) for _, _, df in steps) + len(streams)
    done = 0
    written: dict[str, int] = {}
    with driver.session(database=database) as session:
        for label, name, df in steps:
            query = load_cypher(name)
            for rows in batches(df, batch_size):
                session.execute_write(lambda tx, q=query, r=rows: tx.run(q, rows=r).consume())
                done += len(rows)
                if progress:
                    progress(label, done, total)
            written[label] = len(df)
        query = load_cypher("load/referred")
        step = max(1, batch_size // 50)
        for start in range(0, len(streams), step):
            chunk = streams[start:start + step]
            session.execute_write(lambda tx, q=query, s=chunk: tx.run(q, streams=s).consume())
            done += len(chunk)
            if progress:
                progress("referrals", done, total)
    written["streams (referrals derived)"] = len(streams)
    return written
