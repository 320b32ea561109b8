"""The generator: a seeded agent-based simulation of a Douyin-like platform (MODEL.md section 8).

``generate(GeneratorConfig(users=..., days=..., seed=...))`` returns an
:class:`~graphmodel.eventlog.log.EventLog`. One module per mechanism, each
switchable through the config: :mod:`.social`, :mod:`.catalog`,
:mod:`.recommender` (the feedback loop), :mod:`.behaviour`,
:mod:`.cascades`, :mod:`.tasks`, :mod:`.ads`; :mod:`.simulate` runs them.
The mechanisms and how each default was calibrated: ``docs/generator.md``.
"""

from graphmodel.generator.config import GeneratorConfig
from graphmodel.generator.simulate import generate

__all__ = ["GeneratorConfig", "generate"]
