"""Referrals inferred where no share link was recorded (MODEL.md section 3; docs/your-data.md).

Real logs rarely say which share brought which viewer (``via_share``). The
rule of Goel, Anderson, Hofman and Watts (2016, "The Structural Virality of
Online Diffusion", Management Science 62(1)), used there for Twitter, credits
an adoption to the most recent earlier adoption among the people the adopter
follows. Here:

    user ``w``'s first arrival in stream ``s`` (their earliest watch, ties by
    ``event_id``) at time ``t_w`` is credited to the share ``x`` of ``s`` by
    user ``u`` that maximises ``t_x`` subject to

    - ``t_w - window <= t_x <= t_w`` (a share at the very second of the arrival
      counts: logs keep whole seconds);
    - ``u != w``, and ``u`` arrived in ``s`` before ``w`` (``u``'s first watch
      comes before ``w``'s in the order (time, ``event_id``));
    - mode ``social``: ``w`` follows ``u`` or they are friends (a ``FOLLOWS``
      edge ``w -> u`` of :func:`graphmodel.model.social.follow_edges`);
      mode ``time``: anyone (for logs with no social graph; asked for explicitly).

    Ties in ``t_x`` go to the larger ``event_id``.

The credited share becomes the arrival's ``via_share``; every engine then
derives the ``REFERRED`` edges by the first-arrival rule of
:mod:`graphmodel.model.referrals`, as for a recorded log. Because each
credited sharer arrived strictly before the user they are credited with,
every edge runs forward in the order of first arrivals: the edges of a
stream form a forest (one parent, no cycle).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.errors import UserError
from graphmodel.model.referrals import first_arrivals

__all__ = [
    "INFERENCE_MODES",
    "REFERRAL_RULES",
    "DEFAULT_WINDOW_S",
    "infer_via_share",
    "with_inferred",
    "choose_rule",
]

#: How inferred edges are made: by the social graph, or by time alone.
INFERENCE_MODES = ("social", "time")

#: What ``--referrals`` takes: ``auto`` (recorded ``via_share`` if any, else inferred by
#: the social graph if there is one), ``recorded``, or one of :data:`INFERENCE_MODES`.
REFERRAL_RULES = ("auto", "recorded", *INFERENCE_MODES)

#: The default window, seconds: a share older than this at the arrival is not credited.
#: 30 minutes: the best F1 of the edges and the closest headline figures on generated
#: logs (docs/your-data.md, ``graphmodel check-inference``); widen it for slower platforms.
DEFAULT_WINDOW_S = 1800.0

_ASSIGNED = ["event_id", "via_share"]


def _ns(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="datetime64[ns]").view(np.int64)


def infer_via_share(
    events: pd.DataFrame,
    follow_edges: pd.DataFrame | None = None,
    *,
    mode: str = "social",
    window_s: float = DEFAULT_WINDOW_S,
) -> pd.DataFrame:
    """The share credited with each first arrival, by the rule of the module docstring.

    Parameters
    ----------
    events : DataFrame
        The ``events`` table (any ``via_share`` is ignored). Vectorised over all
        streams; a subset holding whole streams gives the same rows for them.
    follow_edges : DataFrame, optional
        ``source, target`` (``source`` follows ``target``; friends both ways), as
        :func:`graphmodel.model.social.follow_edges` returns. Needed for ``social``.
    mode : {"social", "time"}
    window_s : float
        The window, in seconds (``>= 0``).

    Returns
    -------
    DataFrame
        ``event_id`` (the arrival's watch) and ``via_share`` (the credited share),
        one row per inferred referral, sorted by ``event_id``.

    Examples
    --------
    ``a`` shares at 20:01; ``b``, who follows ``a``, arrives at 20:05; ``c``, who
    follows nobody, at 20:06. By the social graph only ``b`` is referred; by time
    alone ``c`` is too (to ``a``'s share, the most recent one in the window).

    >>> import pandas as pd
    >>> events = pd.DataFrame({
    ...     "event_id": ["e1", "e2", "e3", "e4"], "user_id": ["a", "a", "b", "c"],
    ...     "stream_id": ["s"] * 4, "type": ["watch", "share", "watch", "watch"],
    ...     "at": pd.to_datetime(["2024-01-01 20:00", "2024-01-01 20:01",
    ...                           "2024-01-01 20:05", "2024-01-01 20:06"])})
    >>> follows = pd.DataFrame({"source": ["b"], "target": ["a"]})
    >>> infer_via_share(events, follows, mode="social")
      event_id via_share
    0       e3        e2
    >>> infer_via_share(events, mode="time", window_s=600)
      event_id via_share
    0       e3        e2
    1       e4        e2
    >>> len(infer_via_share(events, mode="time", window_s=60))
    0
    """
    if mode not in INFERENCE_MODES:
        raise ValueError(f"mode must be one of {INFERENCE_MODES}, got {mode!r}")
    if not (window_s >= 0):
        raise ValueError(f"window_s must be >= 0, got {window_s!r}")
    if mode == "social" and follow_edges is None:
        raise ValueError("mode 'social' needs follow_edges")
    arrivals = first_arrivals(
        events.assign(via_share=None) if "via_share" not in events else events
    )
    shares = events.loc[
        (events["type"] == "share").to_numpy(dtype=bool), ["event_id", "user_id", "stream_id", "at"]
    ]
    if arrivals.empty or shares.empty:
        return pd.DataFrame({c: pd.Series([], dtype="string") for c in _ASSIGNED})
    # Arrival order: rank of each (user, stream)'s first watch by (time, event_id).
    arrivals = arrivals.sort_values(["at", "event_id"], kind="mergesort").reset_index(drop=True)
    arrivals["_rank"] = np.arange(len(arrivals), dtype=np.int64)
    rank = arrivals.set_index(["user_id", "stream_id"])["_rank"]
    shares = shares.rename(columns={"event_id": "share_id", "user_id": "sharer", "at": "t"})
    key = pd.MultiIndex.from_frame(shares[["sharer", "stream_id"]].astype(object))
    shares = shares.assign(_srank=rank.reindex(key).to_numpy(dtype="float64"))
    shares = shares[~np.isnan(shares["_srank"].to_numpy())]  # a sharer who never watched
    window_ns = int(round(float(window_s) * 1e9))
    if mode == "social":
        picked = _social(arrivals, shares, follow_edges, window_ns)
    else:
        picked = _time(arrivals, shares, window_ns)
    out = picked.sort_values("event_id", kind="mergesort").reset_index(drop=True)
    return out.astype({"event_id": "string", "via_share": "string"})


def _best(c: pd.DataFrame) -> pd.DataFrame:
    """Per arrival, the latest candidate share (ties: the larger share id)."""
    c = c.sort_values(["event_id", "t", "share_id"], kind="mergesort")
    c = c.drop_duplicates("event_id", keep="last")
    return c[["event_id", "share_id"]].rename(columns={"share_id": "via_share"})


def _social(arrivals, shares, follow_edges, window_ns: int) -> pd.DataFrame:
    ties = follow_edges[["source", "target"]].drop_duplicates()
    c = shares.merge(ties, left_on="sharer", right_on="target", how="inner")
    c = c.merge(
        arrivals[["user_id", "stream_id", "event_id", "at", "_rank"]],
        left_on=["source", "stream_id"],
        right_on=["user_id", "stream_id"],
        how="inner",
    )
    ta, ts = _ns(c["at"]), _ns(c["t"])
    keep = (
        (ts <= ta)
        & (ts >= ta - window_ns)
        & (c["sharer"] != c["user_id"]).to_numpy(bool)
        & (c["_srank"].to_numpy() < c["_rank"].to_numpy())
    )
    return _best(c.loc[keep])


def _time(arrivals, shares, window_ns: int) -> pd.DataFrame:
    """Each arrival walks back from the latest share at or before it, in its stream,
    until a share qualifies or the window is passed (most qualify at once)."""
    streams = pd.concat([shares["stream_id"], arrivals["stream_id"]], ignore_index=True)
    codes, _ = pd.factorize(streams.astype(object))
    s_code, a_code = codes[: len(shares)], codes[len(shares) :]
    ts, ta = _ns(shares["t"]), _ns(arrivals["at"])
    times = np.unique(np.concatenate([ts, ta]))
    s_key = s_code.astype(np.int64) * (len(times) + 1) + np.searchsorted(times, ts)
    a_key = a_code.astype(np.int64) * (len(times) + 1) + np.searchsorted(times, ta)
    order = np.lexsort((shares["share_id"].to_numpy(dtype=object), s_key))
    s_key, s_code, ts = s_key[order], s_code[order], ts[order]
    sharer = shares["sharer"].to_numpy(dtype=object)[order]
    srank = shares["_srank"].to_numpy()[order]
    share_id = shares["share_id"].to_numpy(dtype=object)[order]
    user = arrivals["user_id"].to_numpy(dtype=object)
    arank = arrivals["_rank"].to_numpy()
    cand = np.searchsorted(s_key, a_key, side="right") - 1
    todo = np.arange(len(arrivals))
    found = np.full(len(arrivals), -1, dtype=np.int64)
    while len(todo):
        c = cand[todo]
        ok = c >= 0
        cc = np.where(ok, c, 0)
        ok &= (s_code[cc] == a_code[todo]) & (ts[cc] >= ta[todo] - window_ns)
        todo, c, cc = todo[ok], c[ok], cc[ok]
        good = (sharer[cc] != user[todo]) & (srank[cc] < arank[todo])
        found[todo[good]] = c[good]
        todo = todo[~good]
        cand[todo] -= 1
    hit = found >= 0
    return pd.DataFrame(
        {
            "event_id": arrivals["event_id"].to_numpy(dtype=object)[hit],
            "via_share": share_id[found[hit]],
        }
    )


def with_inferred(events: pd.DataFrame, assigned: pd.DataFrame) -> pd.DataFrame:
    """``events`` with ``via_share`` replaced: the inferred share on the arrivals of
    ``assigned`` (:func:`infer_via_share`), missing everywhere else."""
    via = assigned.set_index("event_id")["via_share"]
    filled = via.reindex(events["event_id"].astype(object)).to_numpy(dtype=object)
    return events.assign(via_share=pd.array(filled, dtype=events["via_share"].dtype))


def choose_rule(asked: str, *, recorded: bool, shares: bool, follows: bool) -> str:
    """The referral rule a log gets: ``recorded``, ``social``, ``time`` or ``none``.

    ``auto``: ``recorded`` when some watch names its share, else ``social`` when there
    are shares and a social graph, else ``none`` (time alone only when asked).

    Raises
    ------
    UserError
        Inference asked of a log with no shares, or ``social`` without follows, in one
        line (the command line reports it with exit status 2).
    """
    if asked not in REFERRAL_RULES:
        raise UserError(f"--referrals must be one of {', '.join(REFERRAL_RULES)}, got {asked!r}")
    if asked == "auto":
        if recorded:
            return "recorded"
        return "social" if shares and follows else "none"
    if asked == "recorded":
        return "recorded"
    if not shares:
        raise UserError(
            f"--referrals {asked}: the log has no share events, so there is nothing to infer"
        )
    if asked == "social" and not follows:
        raise UserError(
            "--referrals social: the log has no follows, so no social graph to "
            "infer by (--referrals time infers by time alone)"
        )
    return asked


def infer_log(log, asked: str = "auto", window_s: float = DEFAULT_WINDOW_S):
    """``log`` with its referrals made by the rule ``asked`` (:func:`choose_rule`).

    ``recorded`` (or ``auto`` on a log whose watches name their shares) returns the log
    as it is; ``social`` and ``time`` replace every ``via_share`` by the inferred one.
    The log's ``coverage`` records the rule, the window and how many arrivals were
    credited.

    Raises
    ------
    UserError
        As :func:`choose_rule`.
    """
    from dataclasses import replace

    from graphmodel.model.social import follow_edges

    events = log["events"]
    watches = (events["type"] == "watch").to_numpy(dtype=bool)
    shares = bool((events["type"] == "share").any())
    recorded = bool(events["via_share"].notna().to_numpy(dtype=bool)[watches].any())
    rule = choose_rule(asked, recorded=recorded, shares=shares, follows=len(log["follows"]) > 0)
    if rule == "recorded" or (rule == "none" and not shares):
        return (
            log
            if log.coverage.referrals == "recorded"
            else log.replace(
                coverage=replace(log.coverage, referrals="recorded", window_s=None, inferred=0)
            )
        )
    if rule == "none":
        return log.replace(coverage=replace(log.coverage, referrals="none"))
    edges = follow_edges(log["follows"]) if rule == "social" else None
    assigned = infer_via_share(events, edges, mode=rule, window_s=window_s)
    coverage = replace(
        log.coverage, referrals=rule, window_s=float(window_s), inferred=len(assigned)
    )
    return log.replace(events=with_inferred(events, assigned), coverage=coverage)
