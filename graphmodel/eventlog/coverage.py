"""What a log holds: tables given, absent or derived, and how its referrals were made
([docs/model.md, section 2][model-2]; docs/your-data.md).

Only ``events`` is required. ``users``, ``streamers``, ``advertisers``,
``streams`` and ``products`` are derived from the other tables when absent (`graphmodel.eventlog.derive`); every
other table is empty when absent. The ``REFERRED`` edges are recorded (watches
name their share in ``via_share``), inferred (`graphmodel.model.inference`)
or none. A [`Coverage`][graphmodel.eventlog.coverage.Coverage] records this; every result's meta carries it
(``meta["log"]``) and the notes of [`Coverage.notes`][graphmodel.eventlog.coverage.Coverage.notes] name the figures it
affects, one line each, for the command that printed them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Coverage", "DERIVABLE", "VALUE_COMMANDS"]

#: Tables derived from the others when absent.
DERIVABLE = ("users", "streamers", "advertisers", "streams", "products")

#: Commands whose figures are the value accounting ([docs/model.md, section 5][model-5]).
VALUE_COMMANDS = frozenset(
    {
        "value",
        "extraction",
        "distribution",
        "ledger",
        "scenario",
        "sensitivity",
        "report",
        "bootstrap",
    }
)
_SPREAD = frozenset({"spread", "report", "stats"})
_DIFFUSION = frozenset({"simulate", "influence", "diffusion-edges"})

# table -> (commands whose figures it affects, the note)
_ABSENT = {
    "ad_spend": (
        VALUE_COMMANDS,
        "no ad_spend table: attention value is 0 (no advertiser spend to split over the viewers)",
    ),
    "task_completions": (
        VALUE_COMMANDS,
        "no task_completions table: value returned is 0, "
        "so every user with value counts as wholly unpaid "
        "and the exploitation rate is undefined",
    ),
    "follows": (
        _DIFFUSION,
        "no follows table: the social graph is empty, so there is no network to spread on",
    ),
}
_DERIVED = {
    "streams": (
        VALUE_COMMANDS,
        "streams derived from the events (each window runs from its "
        "first event to the end of its last): completion, and so data "
        "units, depend on these windows",
    ),
    "products": (
        VALUE_COMMANDS,
        "products derived from the purchases: each product's "
        "merchant is unknown (one per product), so GMV by merchant "
        "is by product",
    ),
    "streamers": (
        VALUE_COMMANDS,
        "streamers derived (no streamers table): commission rates "
        "unknown, taken as 0, so the hosts' share of GMV counts as "
        "the merchants'",
    ),
}
_REFERRALS = VALUE_COMMANDS | _SPREAD


@dataclass(frozen=True)
class Coverage:
    """Which tables a log was given, which were absent or derived, and how its
    referrals were made.

    Attributes
    ----------
    absent : tuple of str
        Tables with no file (derived or empty).
    derived : tuple of str
        Tables made from the others (a subset of ``absent``).
    referrals : str
        ``recorded`` (``via_share``), ``social`` or ``time`` (inferred), or ``none``
        (no watch names a share and nothing was inferred).
    window_s : float, optional
        The inference window, for inferred referrals.
    inferred : int
        How many arrivals were credited to a share by inference.

    Examples
    --------
    >>> c = Coverage(absent=("ad_spend", "users"), derived=("users",))
    >>> c.notes("value")
    ['no ad_spend table: attention value is 0 (no advertiser spend to split over the viewers)']
    >>> c.as_meta()["derived"]
    ['users']
    >>> Coverage().as_meta() is None
    True
    """

    absent: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()
    referrals: str = "recorded"
    window_s: float | None = None
    inferred: int = 0

    @property
    def complete(self) -> bool:
        """Every table given and the referrals recorded (or none asked for)."""
        return not self.absent and self.referrals == "recorded"

    @property
    def inferred_referrals(self) -> bool:
        return self.referrals in ("social", "time")

    def as_meta(self) -> dict | None:
        """The ``meta["log"]`` block; ``None`` for a complete log with recorded referrals."""
        if self.complete:
            return None
        out: dict = {
            "absent": list(self.absent),
            "derived": list(self.derived),
            "referrals": self.referrals,
        }
        if self.inferred_referrals:
            out["window_s"] = self.window_s
            out["inferred_referrals"] = self.inferred
        return out

    @classmethod
    def from_meta(cls, block: dict | None) -> Coverage:
        """The coverage a ``meta["log"]`` block describes (``None``: a complete log)."""
        if not block:
            return cls()
        return cls(
            tuple(block.get("absent", ())),
            tuple(block.get("derived", ())),
            block.get("referrals", "recorded"),
            block.get("window_s"),
            int(block.get("inferred_referrals", 0) or 0),
        )

    def describe(self) -> str:
        """The tables derived or absent, in one line (empty for a complete log).

        Examples
        --------
        >>> Coverage(absent=("users", "ad_spend"), derived=("users",)).describe()
        'derived: users; absent, so empty: ad_spend'
        """
        parts = []
        if self.derived:
            parts.append("derived: " + ", ".join(self.derived))
        empty = [t for t in self.absent if t not in self.derived]
        if empty:
            parts.append("absent, so empty: " + ", ".join(empty))
        return "; ".join(parts)

    def notes(self, command: str) -> list[str]:
        """One line per way the missing or inferred data affects ``command``'s figures."""
        out = []
        for table, (commands, note) in _ABSENT.items():
            if (
                table in self.absent
                and table not in self.derived
                and (command in commands or command == "stats")
            ):
                out.append(note)
        for table, (commands, note) in _DERIVED.items():
            if table in self.derived and (command in commands or command == "stats"):
                out.append(note)
        if command in _REFERRALS:
            if self.inferred_referrals:
                how = "by the social graph" if self.referrals == "social" else "by time alone"
                out.append(
                    f"referrals inferred {how} (window {_duration(self.window_s)}, "
                    f"{self.inferred:,} arrivals credited): cascades and relational "
                    "value rest on the inferred REFERRED edges"
                )
            elif self.referrals == "none":
                out.append(
                    "no watch names its share (via_share) and no referrals were "
                    "inferred: cascades are single sharers and relational value is 0 "
                    "(--referrals social or time infers them)"
                )
        return out


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    s = float(seconds)
    for unit, size in (("h", 3600), ("min", 60)):
        if s >= size and s % size == 0:
            return f"{int(s // size)} {unit}"
    return f"{s:g} s"
