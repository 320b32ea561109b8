"""Labour, data and value (MODEL.md sections 4, 5 and 7)."""

from graphmodel.value.accounting import Accounts
from graphmodel.value.api import distribution, extraction, ledger, value

__all__ = ["Accounts", "value", "extraction", "distribution", "ledger"]
