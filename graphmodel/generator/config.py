"""The generator's options: sizes, seed, switches and behaviour rates ([docs/model.md, section 8][model-8]).

A [`GeneratorConfig`][graphmodel.generator.config.GeneratorConfig] is validated once, when it is made: a value out of
its range raises [`graphmodel.errors.ParameterError`][graphmodel.errors.ParameterError]. Every default is
documented, with the figure it was calibrated to, in ``docs/generator.md``.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from dataclasses import asdict, dataclass, fields

from graphmodel.errors import ParameterError

__all__ = ["GeneratorConfig", "CATEGORIES", "CATEGORY_WEIGHTS", "CATEGORY_PRICE"]

#: Product and stream categories (Douyin's large live-commerce verticals).
CATEGORIES = ("apparel", "beauty", "food", "home", "electronics", "baby", "jewellery", "sports")
#: Share of streamers (and of users' preferred categories) per category.
CATEGORY_WEIGHTS = (0.24, 0.18, 0.16, 0.12, 0.08, 0.08, 0.06, 0.08)
#: Relative price level per category (normalised so the catalogue mean is ``price_mean``).
CATEGORY_PRICE = (1.0, 1.1, 0.6, 0.9, 1.6, 0.9, 1.5, 1.1)

# name -> (low, high): inclusive ranges of the numeric options
_RANGES: dict[str, tuple[float, float]] = {
    "users": (1, 50_000_000),
    "days": (1, 3660),
    "seed": (0, 2**63 - 1),
    "streamers": (1, 10_000_000),
    "advertisers": (1, 10_000_000),
    "products": (1, 100_000_000),
    "daily_active": (0.01, 0.99),
    "activity_concentration": (0.1, 1000.0),
    "friends_mean": (0.0, 1000.0),
    "follows_users_mean": (0.0, 1000.0),
    "follows_streamers_mean": (0.0, 1000.0),
    "community_size": (2, 1_000_000),
    "community_friends": (0.0, 1.0),
    "users_per_streamer": (1.0, 1e7),
    "users_per_advertiser": (1.0, 1e7),
    "products_per_advertiser": (1.0, 1e4),
    "stream_probability": (0.0, 1.0),
    "stream_hours": (0.1, 12.0),
    "commission_mean": (0.01, 0.9),
    "price_mean": (0.01, 1e6),
    "price_sigma": (0.0, 3.0),
    "lineup_size": (1, 1000),
    "exposures_per_day": (1.0, 1000.0),
    "feedback_strength": (0.0, 10.0),
    "history_half_life_days": (0.1, 365.0),
    "history_scale": (0.01, 1e6),
    "precision_base": (0.0, 1.0),
    "precision_max": (0.0, 1.0),
    "match_boost": (1.0, 10.0),
    "session_minutes": (0.1, 600.0),
    "like_rate": (0.0, 100.0),
    "like_taps": (1.0, 1000.0),
    "comment_rate": (0.0, 100.0),
    "share_rate": (0.0, 10.0),
    "purchase_rate": (0.0, 100.0),
    "comment_heat_sigma": (0.0, 3.0),
    "comment_elasticity": (0.0, 3.0),
    "arrivals_per_share": (0.0, 100.0),
    "share_delay_minutes": (0.0, 600.0),
    "max_generations": (1, 10_000),
    "task_participation": (0.0, 1.0),
    "task_watch_boost": (1.0, 10.0),
    "task_share_boost": (1.0, 100.0),
    "coupon_yuan": (0.0, 1e4),
    "coupon_redeem_rate": (0.0, 1.0),
    "ad_yuan_per_hour": (0.0, 1e4),
    "ad_precision_premium": (0.0, 100.0),
    "impression_minutes": (0.01, 600.0),
}
_INTS = {
    "users",
    "days",
    "seed",
    "streamers",
    "advertisers",
    "products",
    "community_size",
    "lineup_size",
    "max_generations",
}
_OPTIONAL = {"streamers", "advertisers", "products"}
_SWITCHES = ("social", "feedback", "tasks", "shares", "ads")


@dataclass(frozen=True)
class GeneratorConfig:
    """Options of `graphmodel.generate`; validated when made.

    A frozen dataclass: every field has a default, calibrated to the figures
    in ``docs/generator.md``; give the ones to change as keywords. Numbers are
    checked against their ranges, and whole-number options stored as ``int``.
    Besides the sizes, seed and switches, the fields are rates; their meaning
    and calibration are in ``docs/generator.md``.

    Parameters
    ----------
    users, days, seed : int
        Sizes and seed: users on the platform, days simulated, and the seed of
        every random draw (the same config gives the same log).
    start : str
        ISO date of the first day.
    streamers, advertisers, products : int, optional
        Default to ``users / users_per_streamer``, ``users / users_per_advertiser``
        and ``advertisers * products_per_advertiser``.
    social, feedback, tasks, shares, ads : bool
        Switches ([docs/model.md, section 8][model-8]): ``social`` (follows and friend ties;
        off: no follows, shares reach nobody), ``feedback`` (exposure and ad
        precision rise with interaction history; off: both use the
        population-neutral level), ``tasks`` (incentive tasks; off: no tasks,
        no completions, no task effects), ``shares`` (off: no shares, no
        referrals), ``ads`` (off: no ad spend).
    daily_active, activity_concentration : float
        Population: P(active on a day) ~ Beta with this mean and concentration (a + b).
    friends_mean, follows_users_mean, follows_streamers_mean, community_size, community_friends
        Social graph.
    users_per_streamer, users_per_advertiser, products_per_advertiser, stream_probability, stream_hours, commission_mean, price_mean, price_sigma, lineup_size
        Catalogue.
    exposures_per_day, feedback_strength, history_half_life_days, history_scale, precision_base, precision_max, match_boost
        Recommender and feedback loop.
    session_minutes, like_rate, like_taps, comment_rate, share_rate, purchase_rate, comment_heat_sigma, comment_elasticity
        Behaviour (per watch; rates per watched minute unless noted).
    arrivals_per_share, share_delay_minutes, max_generations
        Cascades.
    task_participation, task_watch_boost, task_share_boost, coupon_yuan, coupon_redeem_rate
        Tasks.
    ad_yuan_per_hour, ad_precision_premium, impression_minutes
        Advertising.

    Raises
    ------
    ParameterError
        A value that is not a number (or not a whole number where one is
        needed), out of its range, a switch that is not ``True`` or
        ``False``, a ``start`` that is not an ISO date, or ``precision_max``
        below ``precision_base``.

    Examples
    --------
    >>> import graphmodel
    >>> config = graphmodel.GeneratorConfig(users=200, days=1, seed=1)
    >>> config.n_streamers, config.n_advertisers, config.n_products
    (2, 1, 20)
    >>> config.start_date()
    datetime.date(2024, 1, 1)
    >>> graphmodel.GeneratorConfig(users=0)
    Traceback (most recent call last):
    ...
    graphmodel.errors.ParameterError: generator option users must be in [1, 5e+07], got 0
    """

    users: int = 10_000
    days: int = 7
    seed: int = 0
    start: str = "2024-01-01"
    streamers: int | None = None
    advertisers: int | None = None
    products: int | None = None
    # switches
    social: bool = True
    feedback: bool = True
    tasks: bool = True
    shares: bool = True
    ads: bool = True
    # population: P(active on a day) ~ Beta with this mean and concentration (a + b)
    daily_active: float = 0.46
    activity_concentration: float = 3.0
    # social graph
    friends_mean: float = 8.0
    follows_users_mean: float = 3.0
    follows_streamers_mean: float = 6.0
    community_size: int = 50
    community_friends: float = 0.8
    # catalogue
    users_per_streamer: float = 100.0
    users_per_advertiser: float = 250.0
    products_per_advertiser: float = 20.0
    stream_probability: float = 0.8
    stream_hours: float = 2.5
    commission_mean: float = 0.25
    price_mean: float = 80.0
    price_sigma: float = 0.8
    lineup_size: int = 12
    # recommender and feedback loop
    exposures_per_day: float = 4.6
    feedback_strength: float = 1.0
    history_half_life_days: float = 3.0
    history_scale: float = 15.0
    precision_base: float = 0.2
    precision_max: float = 0.8
    match_boost: float = 1.3
    # behaviour (per watch; rates per watched minute unless noted)
    session_minutes: float = 13.5
    like_rate: float = 0.06
    like_taps: float = 12.0
    comment_rate: float = 0.03
    share_rate: float = 0.03
    purchase_rate: float = 0.117
    comment_heat_sigma: float = 1.2
    comment_elasticity: float = 0.14
    # cascades
    arrivals_per_share: float = 2.0
    share_delay_minutes: float = 8.0
    max_generations: int = 100
    # tasks
    task_participation: float = 0.4
    task_watch_boost: float = 1.3
    task_share_boost: float = 2.5
    coupon_yuan: float = 5.0
    coupon_redeem_rate: float = 0.45
    # advertising
    ad_yuan_per_hour: float = 1.1
    ad_precision_premium: float = 0.5
    impression_minutes: float = 2.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _SWITCHES:
                if not isinstance(value, bool):
                    raise ParameterError(
                        f"generator option {f.name} must be true or false, got {value!r}"
                    )
            elif f.name == "start":
                self.start_date()  # raises on a bad date
            elif f.name in _RANGES:
                if value is None and f.name in _OPTIONAL:
                    continue
                _check_number(f.name, value, f.name in _INTS)
                if f.name in _INTS:
                    object.__setattr__(self, f.name, int(value))
                else:
                    object.__setattr__(self, f.name, float(value))
        if self.precision_max < self.precision_base:
            raise ParameterError(
                f"generator option precision_max ({self.precision_max:g}) must be at least "
                f"precision_base ({self.precision_base:g})"
            )

    # --- derived sizes -----------------------------------------------------

    @property
    def n_streamers(self) -> int:
        return (
            self.streamers
            if self.streamers is not None
            else max(1, round(self.users / self.users_per_streamer))
        )

    @property
    def n_advertisers(self) -> int:
        return (
            self.advertisers
            if self.advertisers is not None
            else max(1, round(self.users / self.users_per_advertiser))
        )

    @property
    def n_products(self) -> int:
        return (
            self.products
            if self.products is not None
            else max(1, round(self.n_advertisers * self.products_per_advertiser))
        )

    def start_date(self) -> dt.date:
        """The first simulated day."""
        if isinstance(self.start, dt.date):
            return self.start if not isinstance(self.start, dt.datetime) else self.start.date()
        try:
            return dt.date.fromisoformat(str(self.start))
        except ValueError:
            raise ParameterError(
                f"generator option start must be an ISO date (YYYY-MM-DD), got {self.start!r}"
            ) from None

    def to_dict(self) -> dict:
        """Every option, with the derived sizes filled in (recorded in the log's metadata)."""
        d = asdict(self)
        d["start"] = self.start_date().isoformat()
        d["streamers"], d["advertisers"], d["products"] = (
            self.n_streamers,
            self.n_advertisers,
            self.n_products,
        )
        return d


def _check_number(name: str, value: object, integer: bool) -> None:
    low, high = _RANGES[name]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"generator option {name} must be a number, got {value!r}")
    if integer and not float(value).is_integer():
        raise ParameterError(f"generator option {name} must be a whole number, got {value!r}")
    if not math.isfinite(value) or value < low or value > high:
        raise ParameterError(
            f"generator option {name} must be in [{low:g}, {high:g}], got {value!r}"
        )
