"""Referrals inferred where no share link was recorded ([docs/model.md, section 3][model-3]; docs/your-data.md).

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
      edge ``w -> u`` of `graphmodel.model.social.follow_edges`);
      mode ``time``: anyone (for logs with no social graph; asked for explicitly).

    Ties in ``t_x`` go to the larger ``event_id``.

The credited share becomes the arrival's ``via_share``; every engine then
derives the ``REFERRED`` edges by the first-arrival rule of
`graphmodel.model.referrals`, as for a recorded log. Because each
credited sharer arrived strictly before the user they are credited with,
every edge runs forward in the order of first arrivals: the edges of a
stream form a forest (one parent, no cycle).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.errors import UserError

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
#: the social graph if there is one), ``recorded``, or one of `INFERENCE_MODES`.
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
        `graphmodel.model.social.follow_edges` returns. Needed for ``social``.
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
    window_ns = int(round(float(window_s) * 1e9))
    is_watch_all = (events["type"] == "watch").to_numpy(dtype=bool, na_value=False)
    is_share_all = (events["type"] == "share").to_numpy(dtype=bool, na_value=False)
    keep = np.flatnonzero(is_watch_all | is_share_all)
    if not len(keep):
        return _empty()
    take = pa.array(keep)
    ids = [_arrow(events["user_id"]).take(take)]
    if mode == "social":
        ids += [_arrow(follow_edges["source"]), _arrow(follow_edges["target"])]
    codes = _codes(*ids)
    user = codes[0]
    stream = _codes(_arrow(events["stream_id"]).take(take))[0]
    at = _ns(events["at"])[keep]
    event_id = _arrow(events["event_id"]).take(take)
    # One order for everything: (time, event_id), the order of arrivals and of shares.
    order = pc.sort_indices(
        pa.table({"at": at, "event_id": event_id}),
        sort_keys=[("at", "ascending"), ("event_id", "ascending")],
    )
    order = order.to_numpy()
    is_watch = is_watch_all[keep][order]
    user, stream, at = user[order], stream[order], at[order]
    n_streams = int(stream.max()) + 1
    key = user * n_streams + stream
    # First arrivals: the first watch of each (user, stream) in that order.
    w = np.flatnonzero(is_watch)
    akey, first = np.unique(key[w], return_index=True)
    apos = w[first]  # position in the order: the arrival's rank
    sh = np.flatnonzero(~is_watch)
    spos_in = np.searchsorted(akey, key[sh])
    found = (spos_in < len(akey)) & (akey[np.minimum(spos_in, len(akey) - 1)] == key[sh])
    sh = sh[found]  # a sharer who never watched credits nobody
    srank = apos[spos_in[found]]
    if not len(sh) or not len(apos):
        return _empty()
    if mode == "social":
        arrival, share = _social(
            akey, apos, key, user, stream, at, sh, srank, codes[1], codes[2], n_streams, window_ns
        )
    else:
        arrival, share = _time(apos, user, stream, at, sh, srank, window_ns)
    ids_sorted = event_id.take(pa.array(order))
    out = pa.table(
        {
            "event_id": ids_sorted.take(pa.array(apos[arrival])),
            "via_share": ids_sorted.take(pa.array(sh[share])),
        }
    )
    out = out.take(pc.sort_indices(out, sort_keys=[("event_id", "ascending")]))
    return pd.DataFrame(
        {c: pd.Series(out[c].to_numpy(zero_copy_only=False), dtype="string") for c in _ASSIGNED}
    )


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="string") for c in _ASSIGNED})


def _arrow(column: pd.Series) -> pa.Array:
    """An id column as one Arrow array of large strings (no copy for Arrow-backed text)."""
    a = pa.array(column)
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    return a.cast(pa.large_string())


def _codes(*arrays: pa.Array) -> list[np.ndarray]:
    """Integer codes of id arrays, one dictionary for all of them."""
    encoded = pa.concat_arrays(list(arrays)).dictionary_encode()
    idx = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    out, start = [], 0
    for a in arrays:
        out.append(idx[start : start + len(a)])
        start += len(a)
    return out


def _latest(arrival: np.ndarray, share: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per arrival, the candidate share latest in the order (time, then event_id)."""
    o = np.lexsort((share, arrival))
    arrival, share = arrival[o], share[o]
    last = np.r_[arrival[1:] != arrival[:-1], True] if len(arrival) else np.zeros(0, bool)
    return arrival[last], share[last]


def _social(akey, apos, key, user, stream, at, sh, srank, source, target, n_streams, window_ns):
    """Candidates: every follower of each sharer who arrived in the share's stream."""
    by_target = np.argsort(target, kind="stable")
    tgt, src = target[by_target], source[by_target]
    sharer = user[sh]
    lo, hi = np.searchsorted(tgt, sharer, side="left"), np.searchsorted(tgt, sharer, "right")
    count = hi - lo
    which = np.repeat(np.arange(len(sh)), count)  # index into sh
    offset = np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count)
    follower = src[np.repeat(lo, count) + offset]
    want = follower * n_streams + stream[sh[which]]
    i = np.searchsorted(akey, want)
    ok = (i < len(akey)) & (akey[np.minimum(i, len(akey) - 1)] == want)
    which, i = which[ok], i[ok]
    t_w, t_s = at[apos[i]], at[sh[which]]
    ok = (
        (t_s <= t_w)
        & (t_s >= t_w - window_ns)
        & (user[sh[which]] != user[apos[i]])
        & (srank[which] < apos[i])
    )
    return _latest(i[ok], which[ok], len(apos))


def _time(apos, user, stream, at, sh, srank, window_ns):
    """Each arrival walks back from the latest share at or before it, in its stream,
    until a share qualifies or the window is passed (most qualify at once)."""
    # Shares by (stream, time, event_id): their order positions sort them within a stream.
    o = np.lexsort((sh, stream[sh]))
    sh, srank = sh[o], srank[o]
    s_stream, s_at, s_user = stream[sh], at[sh], user[sh]
    a_stream, a_at, a_user = stream[apos], at[apos], user[apos]
    times = np.unique(np.concatenate([s_at, a_at]))
    width = len(times) + 1
    s_key = s_stream * width + np.searchsorted(times, s_at)
    a_key = a_stream * width + np.searchsorted(times, a_at)
    cand = np.searchsorted(s_key, a_key, side="right") - 1
    todo = np.arange(len(apos))
    found = np.full(len(apos), -1, dtype=np.int64)
    while len(todo):
        c = cand[todo]
        ok = c >= 0
        cc = np.where(ok, c, 0)
        ok &= (s_stream[cc] == a_stream[todo]) & (s_at[cc] >= a_at[todo] - window_ns)
        todo, c, cc = todo[ok], c[ok], cc[ok]
        good = (s_user[cc] != a_user[todo]) & (srank[cc] < apos[todo])
        found[todo[good]] = c[good]
        todo = todo[~good]
        cand[todo] -= 1
    hit = np.flatnonzero(found >= 0)
    return hit, o[found[hit]]


def with_inferred(events: pd.DataFrame, assigned: pd.DataFrame) -> pd.DataFrame:
    """``events`` with ``via_share`` replaced: the inferred share on the arrivals of
    ``assigned`` ([`infer_via_share`][graphmodel.model.inference.infer_via_share]), missing everywhere else."""
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
    """``log`` with its referrals made by the rule ``asked`` (`choose_rule`).

    ``recorded`` (or ``auto`` on a log whose watches name their shares) returns the log
    as it is; ``social`` and ``time`` replace every ``via_share`` by the inferred one.
    The log's ``coverage`` records the rule, the window and how many arrivals were
    credited.

    Raises
    ------
    UserError
        As `choose_rule`.
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
