"""Labour, data and value ([docs/model.md, sections 4, 5 and 7][model-4])."""

from graphmodel.analysis.value.api import distribution, extraction, ledger, value
from graphmodel.model.accounting import Accounts

__all__ = ["Accounts", "value", "extraction", "distribution", "ledger"]
