"""Labour, data and value (MODEL.md sections 4, 5 and 7)."""

from graphmodel.analysis.value.api import distribution, extraction, ledger, value
from graphmodel.model.accounting import Accounts

__all__ = ["Accounts", "value", "extraction", "distribution", "ledger"]
