"""The generator: a seeded agent-based simulation of a Douyin-like platform ([docs/model.md, section 8][model-8]).

``generate(GeneratorConfig(users=..., days=..., seed=...))`` returns an
[`EventLog`][graphmodel.eventlog.log.EventLog]. One module per mechanism, each
switchable through the config: `.social`, `.catalog`,
`.recommender` (the feedback loop), `.behaviour`,
`.cascades`, `.tasks`, `.ads`; `.simulate` runs them.
The mechanisms and how each default was calibrated: ``docs/generator.md``.
"""

from graphmodel.generator.config import GeneratorConfig
from graphmodel.generator.simulate import generate

__all__ = ["GeneratorConfig", "generate"]
