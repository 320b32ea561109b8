"""The value analyses as functions of a store, returning DataFrames with their metadata.

Each takes ``params`` (a [`graphmodel.params.Params`][graphmodel.params.Params] or a dict of
overrides, [docs/model.md, section 10][model-10]) and records every parameter in
``df.attrs["meta"]``. Pass ``accounts`` (an [`Accounts`][graphmodel.model.accounting.Accounts]) to reuse the
store's components across calls, as scenarios and sensitivity runs do.
"""

from __future__ import annotations

import pandas as pd

from graphmodel.analysis.value.capture import capture_table
from graphmodel.analysis.value.extraction import extraction_platform, extraction_table
from graphmodel.analysis.value.inequality import distribution_table, lorenz_table
from graphmodel.analysis.value.ledger import ledger_table
from graphmodel.model.accounting import Accounts
from graphmodel.output import store_meta, with_meta
from graphmodel.params import Params

__all__ = ["value", "extraction", "distribution", "ledger", "VALUE_VIEWS"]

VALUE_VIEWS = ("user", "stream", "platform", "actor")


def _top(df: pd.DataFrame, top: int | None, by: str) -> pd.DataFrame:
    if top is None:
        return df
    return df.sort_values([by, df.columns[0]], ascending=[False, True]).head(top).reset_index(
        drop=True)


def value(store, by: str = "user", params=None, top: int | None = None,
          accounts: Accounts | None = None) -> pd.DataFrame:
    """The value accounting ([docs/model.md, sections 4 and 5][model-4]) per user, stream, the platform, or actor class.

    ``top`` keeps the N users or streams producing the most value.

    Parameters
    ----------
    store : Store
        Any engine's store.
    by : {"user", "stream", "platform", "actor"}
        One row per user, per stream, one platform row, or one row per actor
        class (users, streamers, merchants, platform) with the value it captures.
    params : Params or dict, optional
        The model parameters ([docs/model.md, section 10][model-10]), or overrides of the
        defaults by name; all are recorded in ``df.attrs["meta"]["params"]``.
    top : int, optional
        Keep the ``top`` users or streams by value produced, largest first.
    accounts : Accounts, optional
        The store's accounting (`Store.accounts`), to reuse it across calls.

    Returns
    -------
    DataFrame
        Per user: labour time, data units, value produced and returned, surplus,
        exploitation rate, hourly wage...; per stream: its attention, commerce
        and data value; per platform: the totals; with the metadata in
        ``df.attrs["meta"]``.

    Raises
    ------
    ParameterError
        An unknown parameter or a value out of its range.
    ValueError
        An unknown ``by``.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> platform = graphmodel.value(store, by="platform")
    >>> platform[["users", "user_generated_value", "value_returned"]].round(2)
       users  user_generated_value  value_returned
    0    200                260.22           23.02
    >>> users = graphmodel.value(store, params={"attribution": "linear"}, top=3)
    >>> users.columns[:6].tolist()
    ['user_id', 'labour_s', 'data_units', 'kept_value', 'relational_value', 'value_produced']
    >>> len(users), users.attrs["meta"]["params"]["attribution"]
    (3, 'linear')
    >>> graphmodel.value(store, params={"nope": 1})
    Traceback (most recent call last):
    ...
    graphmodel.errors.ParameterError: unknown parameter 'nope' (known: ...)
    """
    p = Params.of(params)
    acc = accounts or store.accounts()
    if by == "user":
        df = _top(acc.user_table(p), top, "value_produced")
    elif by == "stream":
        df = _top(acc.stream_table(p), top, "user_generated_value")
    elif by == "platform":
        df = acc.platform_table(p)
    elif by == "actor":
        returned = float(acc.rewards(p)["value_returned"].sum())
        df = capture_table(acc.pair_values(p), acc.tables["streams"], acc.tables["streamers"],
                           acc.tables["ad_spend"], returned, p)
    else:
        raise ValueError(f"by must be one of {', '.join(VALUE_VIEWS)}, got {by!r}")
    return with_meta(df, store_meta(store, "value", dict(p), by=by, top=top))


def extraction(store, by: str = "user", params=None, top: int | None = None,
               accounts: Accounts | None = None) -> pd.DataFrame:
    """Social-relation extraction ([docs/model.md, 5.6][model-5-6]): per user, or one platform row.

    Parameters
    ----------
    store : Store
        Any engine's store.
    by : {"user", "platform"}
        One row per user with relational value, or one platform row.
    params : Params or dict, optional
        The model parameters ([docs/model.md, section 10][model-10]), or overrides of the
        defaults by name; all are recorded in ``df.attrs["meta"]["params"]``.
    top : int, optional
        Keep the first ``top`` users.
    accounts : Accounts, optional
        The store's accounting (`Store.accounts`), to reuse it across calls.

    Returns
    -------
    DataFrame
        Per user: the relational value credited through referrals, the share
        and invite rewards paid for it and the unpaid rest; per platform: the
        totals and the relational share of user-generated value.

    Raises
    ------
    ParameterError
        An unknown parameter or a value out of its range.
    ValueError
        An unknown ``by``.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> platform = graphmodel.extraction(store, by="platform")
    >>> round(float(platform["relational_value"].iloc[0]), 4)
    1.1879
    >>> users = graphmodel.extraction(store)
    >>> users.columns[:4].tolist()
    ['user_id', 'relational_value', 'share_invite_rewards', 'unpaid_relational']
    """
    p = Params.of(params)
    acc = accounts or store.accounts()
    users = acc.user_table(p)
    rewards = acc.rewards(p)
    if by == "user":
        df = extraction_table(users, acc.credit(p), rewards)
        df = df.head(top).reset_index(drop=True) if top is not None else df
    elif by == "platform":
        df = extraction_platform(users, rewards, float(acc.pair_values(p)["base_value"].sum()))
    else:
        raise ValueError(f"by must be user or platform, got {by!r}")
    return with_meta(df, store_meta(store, "extraction", dict(p), by=by, top=top))


def distribution(store, params=None, lorenz: bool = False, points: int = 101,
                 accounts: Accounts | None = None) -> pd.DataFrame:
    """Gini and top shares of value produced and returned, or Lorenz curve points.

    Parameters
    ----------
    store : Store
        Any engine's store.
    params : Params or dict, optional
        The model parameters ([docs/model.md, section 10][model-10]), or overrides of the
        defaults by name; all are recorded in ``df.attrs["meta"]["params"]``.
    lorenz : bool
        Return Lorenz curve points instead of the summary.
    points : int
        Number of points per Lorenz curve.
    accounts : Accounts, optional
        The store's accounting (`Store.accounts`), to reuse it across calls.

    Returns
    -------
    DataFrame
        One row per measure (``value_produced``, ``value_returned``) with its
        total, mean, median, Gini, top 1% and 10% shares and share of users at
        zero; or, with ``lorenz``, ``points`` rows per measure of
        ``population_share`` and ``value_share``.

    Raises
    ------
    ParameterError
        An unknown parameter or a value out of its range.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> table = graphmodel.distribution(store)
    >>> table["measure"].tolist()
    ['value_produced', 'value_returned']
    >>> table.columns.tolist()
    ['measure', 'users', 'total', 'mean', 'median', 'gini', 'top1_share', 'top10_share', 'zero_share']
    >>> curve = graphmodel.distribution(store, lorenz=True, points=5)
    >>> curve[curve["measure"] == "value_produced"]["population_share"].tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    p = Params.of(params)
    acc = accounts or store.accounts()
    users = acc.user_table(p)
    df = lorenz_table(users, points) if lorenz else distribution_table(users)
    return with_meta(df, store_meta(store, "distribution", dict(p), lorenz=lorenz))


def ledger(store, user_id: str, params=None, accounts: Accounts | None = None) -> pd.DataFrame:
    """One user's personal data account ([docs/model.md, section 7][model-7]).

    Parameters
    ----------
    store : Store
        Any engine's store.
    user_id : str
        The user.
    params : Params or dict, optional
        The model parameters ([docs/model.md, section 10][model-10]), or overrides of the
        defaults by name; all are recorded in ``df.attrs["meta"]["params"]``.
    accounts : Accounts, optional
        The store's accounting (`Store.accounts`), to reuse it across calls.

    Returns
    -------
    DataFrame
        One ``event`` row per event of the user (its labour, data units and
        value, what the user kept, passed to referrers, was credited and was
        returned, and the advertiser it ``fed``), then one ``total`` row.

    Raises
    ------
    UserError
        An unknown ``user_id``.
    ParameterError
        An unknown parameter or a value out of its range.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> account = graphmodel.ledger(store, "u000095")
    >>> account["entry"].value_counts().to_dict()
    {'event': 57, 'total': 1}
    >>> round(float(account.iloc[-1]["value"]), 4)
    4.6021
    >>> graphmodel.ledger(store, "nobody")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: unknown user id 'nobody': no such user in generator
    """
    p = Params.of(params)
    acc = accounts or store.accounts()
    df = ledger_table(store, acc, user_id, p)
    return with_meta(df, store_meta(store, "ledger", dict(p), user_id=user_id,
                                    browser_query="cypher/browser/data_account.cypher",
                                    browser_params={"id": user_id}))
