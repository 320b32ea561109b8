"""Write the graph from Spark into Neo4j with the Neo4j Connector for Apache Spark.

The connector is a JVM package, loaded when the SparkSession starts:
``spark.jars.packages`` = `CONNECTOR` (resolved from Maven Central),
or ``--packages`` / ``--jars`` on ``spark-submit``. Its coordinates must
match Spark's Scala version: PySpark 3.5 from PyPI is built for Scala
2.12, hence ``neo4j-connector-apache-spark_2.12``. ``docs/spark.md`` gives
the whole recipe for a cluster.

`write_users` MERGEs ``(:User {id})`` nodes (the connector's
``Overwrite`` mode with ``node.keys``, idempotent);
`write_referrals` creates the ``REFERRED`` relationships between
existing users (``Append``: the connector's ``Overwrite`` would merge the
edges of different streams between the same two users into one, so write
them once into a fresh database). `read_counts` reads the counts back
through the connector. Properties follow [docs/model.md, section 3][model-3]: ``User.id``,
``joined_at``, ``segment``; ``REFERRED {stream_id, share_id, at, channel}``.
"""

from __future__ import annotations

from graphmodel.schema import EDGE, NODE, TABLES

__all__ = ["CONNECTOR", "DATA_SOURCE", "connector_session", "write_users", "write_referrals",
           "read_counts", "write_graph"]

#: Maven coordinates of the connector for Spark 3 and Scala 2.12 (PySpark 3.5 from PyPI): the
#: release tested here against Spark 3.5 and Neo4j 5.26 (docs/spark.md names the newer ones).
CONNECTOR = "org.neo4j:neo4j-connector-apache-spark_2.12:5.0.0_for_spark_3"
#: The connector's data source name.
DATA_SOURCE = "org.neo4j.spark.DataSource"


def connector_session(master: str = "local[*]", conf: dict | None = None,
                      package: str = CONNECTOR):
    """A SparkSession with the connector on its class path (resolved from Maven Central).

    Must be the first session of the Python process: packages are read when
    the JVM starts.
    """
    from graphmodel.engines.spark.session import spark_session

    return spark_session(master, {"spark.jars.packages": package, **(conf or {})})


def _options(writer, uri: str, user: str, password: str, database: str | None):
    writer = (writer.format(DATA_SOURCE).option("url", uri)
              .option("authentication.type", "basic")
              .option("authentication.basic.username", user)
              .option("authentication.basic.password", password))
    return writer.option("database", database) if database else writer


def _when(column):
    """int64 nanoseconds as a Spark timestamp (a Neo4j datetime through the connector)."""
    from pyspark.sql import functions as F

    return F.timestamp_micros(F.floor(column / 1000))


def _select(df, source, renames: dict[str, str], columns):
    """``columns`` of ``df`` (renamed by ``renames``), the datetime ones of ``source`` (a
    `Table`) as Spark timestamps."""
    from pyspark.sql import functions as F

    kinds = {c.name: c.kind for c in source.columns}
    return df.select(*[
        (_when(F.col(c)) if kinds.get(c) == "datetime" else F.col(c)).alias(renames.get(c, c))
        for c in columns
    ])


def write_users(users, uri: str, user: str, password: str, database: str | None = None,
                batch_size: int = 5000) -> None:
    """MERGE one ``(:User {id, joined_at, segment})`` per row of a ``users`` table (the
    ``User`` mapping of `graphmodel.schema.NODES`)."""
    m = NODE["User"]
    df = _select(users, TABLES[m.table], {m.key: "id"}, (m.key, *m.properties))
    (_options(df.write, uri, user, password, database).mode("Overwrite")
     .option("labels", f":{m.label}").option("node.keys", "id").option("batch.size", batch_size)
     .save())


def write_referrals(refs, uri: str, user: str, password: str, database: str | None = None,
                    batch_size: int = 5000) -> None:
    """CREATE ``(:User)-[:REFERRED {stream_id, share_id, at, channel}]->(:User)`` per edge
    (both users must exist: write them first with `write_users`), as the ``REFERRED``
    mapping of `graphmodel.schema.EDGES` says."""
    m = EDGE["REFERRED"]
    (start_label, start), (end_label, end) = m.start, m.end
    df = _select(refs, m.source, {}, (start, end, *m.properties))
    (_options(df.write, uri, user, password, database).mode("Append")
     .option("relationship", m.type)
     .option("relationship.save.strategy", "keys")
     .option("relationship.source.labels", f":{start_label}")
     .option("relationship.source.save.mode", "Match")
     .option("relationship.source.node.keys", f"{start}:id")
     .option("relationship.target.labels", f":{end_label}")
     .option("relationship.target.save.mode", "Match")
     .option("relationship.target.node.keys", f"{end}:id")
     .option("relationship.properties", ",".join(m.properties))
     .option("batch.size", batch_size)
     .save())


def read_counts(spark, uri: str, user: str, password: str,
                database: str | None = None) -> dict[str, int]:
    """``User`` nodes and ``REFERRED`` relationships, read back through the connector."""
    users = (_options(spark.read, uri, user, password, database)
             .option("labels", "User").load().count())
    referred = (_options(spark.read, uri, user, password, database)
                .option("relationship", "REFERRED")
                .option("relationship.source.labels", "User")
                .option("relationship.target.labels", "User").load().count())
    return {"User": int(users), "REFERRED": int(referred)}


def write_graph(folder, uri: str, user: str, password: str, master: str = "local[*]",
                users: int | None = None, package: str = CONNECTOR,
                referrals: str | None = None,
                window_s: float | None = None) -> dict[str, dict[str, int]]:
    """Write the users (the first ``users`` by id, with the referrals among them, or all)
    and their ``REFERRED`` edges from the Parquet log in ``folder`` into the Neo4j at
    ``uri``, with the connector; ``graphmodel load FOLDER --engine spark``.

    ``referrals`` and ``window_s``: how the edges are made (``graphmodel load --referrals
    --referral-window``; default ``auto`` and
    `graphmodel.model.inference.DEFAULT_WINDOW_S`), as
    [`graphmodel.model.inference.infer_log`][graphmodel.model.inference.infer_log].

    Returns
    -------
    dict
        ``{"written": {"User": n, "REFERRED": m}, "read_back": {...}}``, the counts Spark
        wrote and those read back through the connector.
    """
    from graphmodel.engines.spark.engine import SparkEngine
    from graphmodel.model.inference import DEFAULT_WINDOW_S

    rule = dict(referrals=referrals or "auto",
                window_s=DEFAULT_WINDOW_S if window_s is None else window_s)
    spark = connector_session(master, package=package)
    with SparkEngine(folder, spark=spark, master=master, **rule) as engine:
        people, refs = engine.frame("users"), engine.referral_frame
        if users:
            people = people.orderBy("user_id").limit(users)
            ids = people.select("user_id")
            refs = (refs.join(ids, "user_id", "left_semi")
                    .join(ids.withColumnRenamed("user_id", "referrer_id"), "referrer_id",
                          "left_semi"))
        people = people.persist()
        refs = refs.persist()
        write_users(people, uri, user, password)
        write_referrals(refs, uri, user, password)
        written = {"User": people.count(), "REFERRED": refs.count()}
        return {"written": written, "read_back": read_counts(spark, uri, user, password),
                "coverage": engine.coverage, "meta": engine.meta}
