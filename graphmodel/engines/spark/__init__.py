"""The Spark engine (tracker issue 7): the analyses whose cost grows with the log, on Spark.

``SparkEngine(folder, master="local[*]")`` reads a Parquet event-log folder
(one file or one folder of parts per table) and computes, with the same
formulas and the same output as the in-memory store:

* validation, every rule of the event log (`graphmodel.engines.spark.validate`), before any analysis;
* the referral forest and its paths (`graphmodel.engines.spark.referrals`);
* cascade metrics (`graphmodel.engines.spark.cascades`);
* the value accounting per user and for the platform (`graphmodel.engines.spark.value`).

At the command line: ``--engine spark`` (with ``--master`` and ``--conf``) on
``graphmodel value``, ``spread`` and ``validate`` (`graphmodel.cli.engine`).
Writing the graph into Neo4j with the Neo4j Connector for Apache Spark:
`graphmodel.engines.spark.neo4j`. Everything: ``docs/spark.md``.
"""

from graphmodel.engines.spark.session import DEFAULT_MASTER, spark_session

__all__ = ["SparkEngine", "spark_session", "DEFAULT_MASTER"]


def __getattr__(name: str):
    # the engine (and pandas-side analysis modules) load on first use, not with the CLI
    if name == "SparkEngine":
        from graphmodel.engines.spark import engine

        return getattr(engine, name)
    raise AttributeError(name)
