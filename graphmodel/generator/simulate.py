"""The simulation loop: ``generate(config) -> EventLog`` ([docs/model.md, section 8][model-8]).

Order of a run: the users (`population`), the
catalogue and stream schedule (`catalog`), the
social graph (`social`), then one step per day:

1. who is active today (each user with their own probability);
2. the recommender shows each active user streams, more and more precisely
   the richer their history (`recommender`);
3. advertisers buy the forecast attention (`ads`);
4. the recommended watches, their likes, comments and shares; each
   stream's comment pull; purchases (`behaviour`);
5. cascades: generation by generation, shares bring arrivals who behave
   like any viewer and may share again (`cascades`);
6. task completions (`tasks`);
7. the platform updates every profile with the day's interactions.

Every step is vectorised over users, watches and events; Python loops run
over days, cascade generations and the six tasks only. All randomness comes
from children of one ``SeedSequence(seed)`` (`seeding`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from graphmodel.eventlog.log import EventLog
from graphmodel.generator import ads as ads_mod
from graphmodel.generator import behaviour, cascades, recommender
from graphmodel.generator import tasks as tasks_mod
from graphmodel.generator.assemble import assemble
from graphmodel.generator.catalog import Catalog, make_catalog
from graphmodel.generator.config import CATEGORIES, GeneratorConfig
from graphmodel.generator.population import Population, make_population
from graphmodel.generator.seeding import rng
from graphmodel.generator.social import make_social

__all__ = ["generate", "simulate", "Run", "DayEvents"]

Progress = Callable[[str, float, float], None]

# event type codes, in schema.EVENT_TYPES order
WATCH, LIKE, COMMENT, SHARE, PURCHASE = range(5)


@dataclass
class DayEvents:
    """One day's events, sorted by time, with day-local positions for ``via``."""

    type: np.ndarray
    user: np.ndarray
    stream: np.ndarray
    at: np.ndarray
    seconds: np.ndarray  # watch; -1 elsewhere
    count: np.ndarray  # like; 0 elsewhere
    product: np.ndarray  # purchase; -1 elsewhere
    amount: np.ndarray  # purchase; NaN elsewhere
    channel: np.ndarray  # share; -1 elsewhere
    via: np.ndarray  # watch through a share: position of the share in this day's list; -1


def _epoch_seconds(day: dt.date) -> int:
    return int(
        (dt.datetime(day.year, day.month, day.day) - dt.datetime(1970, 1, 1)).total_seconds()
    )


def _expected_interactions(pop: Population, cfg: GeneratorConfig) -> np.ndarray:
    """A user's expected likes, comments, shares and purchases per day, from their rates."""
    minutes = cfg.session_minutes * pop.session
    per_watch = (
        cfg.like_rate * minutes * pop.like
        + cfg.comment_rate * minutes * pop.comment
        + cfg.purchase_rate * pop.buy
    )
    if cfg.shares:
        per_watch = per_watch + cfg.share_rate * pop.share
    return pop.activity * cfg.exposures_per_day * per_watch


def generate(config: GeneratorConfig | None = None, progress: Progress | None = None) -> EventLog:
    """Simulate a Douyin-like platform and return its event log ([docs/model.md, sections 2 and 8][model-2]).

    Parameters
    ----------
    config : GeneratorConfig, optional
        Sizes, seed, switches and rates; the defaults are calibrated
        (``docs/generator.md``).
    progress : callable, optional
        Called as ``progress(step, done, total)`` after each phase and each
        day, e.g. to drive a progress bar.

    Returns
    -------
    EventLog
        Every table of [docs/model.md, section 2][model-2], in the canonical dtypes, valid
        by every rule of the validator. ``meta`` records the seed and every
        option. The same config gives the same log, byte for byte once
        written.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> log
    EventLog('generator': users=200, streamers=2, advertisers=1, streams=2, products=20,
             follows=1698, events=800, ad_spend=2, tasks=6, task_completions=75)
    >>> sorted(log.events["type"].unique())
    ['comment', 'like', 'purchase', 'share', 'watch']
    >>> steps = []
    >>> _ = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1),
    ...                         progress=lambda step, done, total: steps.append(step))
    >>> steps[-1]
    'done'
    """
    cfg = config if config is not None else GeneratorConfig()
    run = simulate(cfg, progress)
    days: list[DayEvents] = []
    completions: list[tasks_mod.Completions] = []
    spends: list[ads_mod.AdSpend] = []
    for ev, done, spend in run.days:
        days.append(ev)
        completions.append(done)
        spends.append(spend)
    log = assemble(cfg, run.pop, run.cat, run.social, days, completions, spends)
    run.report("done", run.total, run.total)
    return log


@dataclass
class Run:
    """A simulation under way: the platform made before day 1, and ``days``, an iterator
    over ``(DayEvents, Completions, AdSpend)`` that simulates each day when asked for it.

    [`generate`][graphmodel.generator.simulate.generate] keeps every day; the chunked writer
    (`graphmodel.generator.chunked`) writes each day away as it comes.
    """

    cfg: GeneratorConfig
    pop: Population
    cat: Catalog
    social: object
    days: Iterator
    report: Progress
    total: int


def simulate(cfg: GeneratorConfig, progress: Progress | None = None) -> Run:
    """The population, catalogue and social graph, and the days as a lazy iterator.

    The days must be consumed in order (each updates the recommender's history).
    """
    seed = cfg.seed
    total = cfg.days + 3
    report = progress if progress is not None else (lambda step, done, total: None)
    start_s = _epoch_seconds(cfg.start_date())

    pop = make_population(cfg, rng(seed, "population"), start_s)
    cat = make_catalog(cfg, rng(seed, "catalog"), start_s)
    report("catalogue", 1, total)
    social = make_social(cfg, pop, cat.streamer_popularity, rng(seed, "social"), start_s)
    report("social graph", 2, total)

    def days() -> Iterator:
        history = recommender.initial_history(
            _expected_interactions(pop, cfg), rng(seed, "recommender", 0), cfg
        )
        keep = recommender.decay(cfg)
        for d in range(cfg.days):
            ev, done, spend, interactions = _day(d, cfg, pop, cat, social, history)
            history = keep * history + interactions
            report(f"day {d + 1} of {cfg.days}", 3 + d, total)
            yield ev, done, spend

    return Run(cfg, pop, cat, social, days(), report, total)


def _day(d: int, cfg: GeneratorConfig, pop: Population, cat: Catalog, social, history: np.ndarray):
    seed = cfg.seed
    n_streams = cat.n_streams
    day_streams = slice(int(cat.day_bounds[d]), int(cat.day_bounds[d + 1]))
    active = np.flatnonzero(rng(seed, "activity", d).random(pop.n) < pop.activity)
    factor = recommender.history_factor(history, cfg)
    exp = recommender.expose(
        active,
        factor,
        pop.preferred,
        day_streams,
        cat.stream_category,
        cat.stream_weight,
        cat.stream_start,
        cat.stream_end,
        len(CATEGORIES),
        rng(seed, "recommender", d + 1),
        cfg,
    )
    end = cat.stream_end

    # advertisers buy the forecast attention of the plan
    if cfg.ads:
        mult = pop.session[exp.user] * np.where(exp.match, cfg.match_boost, 1.0)
        if cfg.tasks:
            mult = mult * np.where(pop.task_user[exp.user], cfg.task_watch_boost, 1.0)
        expected = np.minimum(cfg.session_minutes * 60.0 * mult, end[exp.stream] - exp.at)
        spend = ads_mod.buy_attention(
            exp.stream,
            expected,
            factor[exp.user],
            cat.stream_category,
            cat.stream_start,
            cat.industry,
            n_streams,
            rng(seed, "ads", d),
            cfg,
        )
    else:
        spend = ads_mod.AdSpend.empty()

    # recommended watches and what viewers do in them
    b_rng = rng(seed, "behaviour", d, 0)
    secs = behaviour.watch_seconds(exp.user, exp.match, exp.at, end[exp.stream], pop, b_rng, cfg)
    w0 = behaviour.Watches(
        exp.user, exp.stream, exp.at, secs, exp.match, np.full(len(exp.user), -1, dtype=np.int64)
    )
    a0 = behaviour.act(w0, cat.stream_heat, pop, b_rng, cfg)
    pull = behaviour.comment_pull(w0, a0, cat.stream_heat, pop, n_streams, cfg)
    p0 = behaviour.purchases(w0, pull, cat.lineup, cat.price, pop, b_rng, cfg)
    gens = [(w0, a0, p0)]

    # cascades, generation by generation
    c_rng = rng(seed, "cascades", d, 0)
    share_user = [w0.user[a0.share_watch]]
    share_stream = [w0.stream[a0.share_watch]]
    share_at = [a0.share_at]
    share_channel = [cascades.choose_channels(len(a0.share_watch), c_rng)]
    n_shares = len(a0.share_watch)
    watched = _sorted_unique(w0.user * n_streams + w0.stream)
    frontier = 0  # first share of the current generation
    g = 0
    while n_shares > frontier and g < cfg.max_generations and cfg.shares:
        g += 1
        c_rng = rng(seed, "cascades", d, g)
        su = np.concatenate(share_user)[frontier:]
        ss = np.concatenate(share_stream)[frontier:]
        sa = np.concatenate(share_at)[frontier:]
        sc = np.concatenate(share_channel)[frontier:]
        arr = cascades.arrive(
            su,
            ss,
            sa,
            sc,
            frontier + np.arange(len(su)),
            social,
            end,
            watched,
            n_streams,
            c_rng,
            cfg,
        )
        frontier = n_shares
        if not len(arr.user):
            break
        b_rng = rng(seed, "behaviour", d, g)
        match = cat.stream_category[arr.stream] == pop.preferred[arr.user]
        secs = behaviour.watch_seconds(arr.user, match, arr.at, end[arr.stream], pop, b_rng, cfg)
        wg = behaviour.Watches(arr.user, arr.stream, arr.at, secs, match, arr.share)
        ag = behaviour.act(wg, cat.stream_heat, pop, b_rng, cfg)
        pg = behaviour.purchases(wg, pull, cat.lineup, cat.price, pop, b_rng, cfg)
        gens.append((wg, ag, pg))
        new = np.sort(wg.user * n_streams + wg.stream)  # unique, none in watched (cascades.arrive)
        watched = np.insert(watched, np.searchsorted(watched, new), new)
        share_user.append(wg.user[ag.share_watch])
        share_stream.append(wg.stream[ag.share_watch])
        share_at.append(ag.share_at)
        share_channel.append(cascades.choose_channels(len(ag.share_watch), c_rng))
        n_shares += len(ag.share_watch)

    ev = _collect(gens, share_channel)
    # incentive tasks
    if cfg.tasks:
        w = ev.type == WATCH
        sh = ev.type == SHARE
        co = ev.type == COMMENT
        li = ev.type == LIKE
        referred = w & (ev.via >= 0)
        inviter = ev.user[ev.via[referred]]  # the sharer each referred watch came through
        done = tasks_mod.complete(
            pop.task_user,
            ev.user[w],
            ev.at[w],
            ev.seconds[w],
            ev.user[sh],
            ev.at[sh],
            ev.user[co],
            ev.at[co],
            ev.user[li],
            ev.at[li],
            ev.count[li],
            inviter,
            ev.at[referred],
            rng(seed, "tasks", d),
            cfg,
        )
    else:
        done = tasks_mod.Completions.empty()
    interactions = np.bincount(ev.user[ev.type != WATCH], minlength=pop.n).astype(float)
    return ev, done, spend, interactions


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    k = np.sort(keys)
    return k[np.r_[True, k[1:] != k[:-1]]] if len(k) else k


def _collect(gens, share_channel) -> DayEvents:
    """All of a day's events in one time-sorted table; ``via`` as positions in it.

    Ties in time keep the type order of ``schema.EVENT_TYPES`` (a watch before
    what happens in it), then the order of creation.
    """
    cols: dict[str, list[np.ndarray]] = {k: [] for k in DayEvents.__dataclass_fields__}
    i32 = np.int32

    def add(
        typ,
        user,
        stream,
        at,
        seconds=None,
        count=None,
        product=None,
        amount=None,
        channel=None,
        via=None,
    ):
        n = len(user)
        cols["type"].append(np.full(n, typ, dtype=np.int8))
        cols["user"].append(user.astype(i32))
        cols["stream"].append(stream.astype(i32))
        cols["at"].append(at)
        cols["seconds"].append(seconds.astype(i32) if seconds is not None else np.full(n, -1, i32))
        cols["count"].append(count.astype(i32) if count is not None else np.zeros(n, i32))
        cols["product"].append(product.astype(i32) if product is not None else np.full(n, -1, i32))
        cols["amount"].append(amount if amount is not None else np.full(n, np.nan))
        cols["channel"].append(channel.astype(i32) if channel is not None else np.full(n, -1, i32))
        cols["via"].append(via.astype(np.int64) if via is not None else np.full(n, -1, np.int64))

    # shares first, in share-index order, so a share's position is its index
    for (w, a, _), ch in zip(gens, share_channel, strict=True):
        add(SHARE, w.user[a.share_watch], w.stream[a.share_watch], a.share_at, channel=ch)
    for w, a, p in gens:
        add(WATCH, w.user, w.stream, w.at, seconds=w.seconds, via=w.via)
        add(LIKE, w.user[a.like_watch], w.stream[a.like_watch], a.like_at, count=a.like_count)
        add(COMMENT, w.user[a.comment_watch], w.stream[a.comment_watch], a.comment_at)
        add(PURCHASE, w.user[p.watch], w.stream[p.watch], p.at, product=p.product, amount=p.amount)
    arrays = {k: np.concatenate(v) for k, v in cols.items()}
    order = np.argsort(arrays["at"] * 8 + arrays["type"], kind="stable")
    out = {k: v[order] for k, v in arrays.items()}
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    via = out["via"]
    out["via"] = np.where(via >= 0, rank[np.maximum(via, 0)], -1).astype(i32)
    return DayEvents(**out)
