"""graphmodel: users' likes, comments, shares and watch time as labour, data and value.

A graph model of a livestream e-commerce platform (docs/model.md). The event log
is read into a store (in memory by default, or Neo4j); analyses are pure
functions of a store that return pandas DataFrames, with their metadata in
``df.attrs["meta"]``.

>>> import graphmodel
>>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
>>> store = graphmodel.MemoryStore(log)
>>> int(graphmodel.graph_stats(store).set_index("name").loc["User", "count"])
200
>>> total = graphmodel.value(store, by="platform")["user_generated_value"].iloc[0]
>>> users = graphmodel.value(store, by="user", params={"attribution": "linear"})
>>> bool(abs(users["value_produced"].sum() - total) < 1e-9)  # value is conserved
True
"""

from graphmodel.__about__ import __version__
from graphmodel.analysis.calibration import calibration
from graphmodel.analysis.diffusion import diffusion_edges, influence_max, simulate_spread
from graphmodel.analysis.inference_check import inference_check
from graphmodel.analysis.summary import calibration_table, graph_stats, run_query
from graphmodel.analysis.value import Accounts, distribution, extraction, ledger, value
from graphmodel.engines import MemoryStore, Store
from graphmodel.engines.neo4j.store import Neo4jStore
from graphmodel.engines.open import open_store
from graphmodel.errors import LogError, ParameterError, ServerError, UserError
from graphmodel.eventlog import EventLog, read_log, validate_frames, validate_log, write_log
from graphmodel.eventlog.coverage import Coverage
from graphmodel.generator import GeneratorConfig, generate
from graphmodel.model.inference import infer_log
from graphmodel.model.referrals import derive_referrals
from graphmodel.output import write_result
from graphmodel.params import Params

__all__ = [
    "__version__",
    "EventLog", "read_log", "validate_log", "validate_frames", "write_log", "Coverage",
    "GeneratorConfig", "generate",
    "Store", "MemoryStore", "Neo4jStore", "open_store",
    "graph_stats", "calibration", "calibration_table", "derive_referrals", "infer_log",
    "inference_check", "run_query",
    "write_result", "Params",
    "Accounts", "value", "extraction", "distribution", "ledger",
    "simulate_spread", "influence_max", "diffusion_edges",
    "UserError", "LogError", "ParameterError", "ServerError",
]
