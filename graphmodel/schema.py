"""The one place that defines the event log and the graph (MODEL.md sections 2 and 3).

The validator, the readers and writers, the generator, the stores and the
Neo4j loader all read the tables, columns, types, labels and relationship
types from here; nothing else spells them out.

Column kinds
------------
``id``        a non-empty string identifier (ids are text, never numbers:
              ``007`` and ``7`` are different users)
``str``       free text
``enum``      one of ``Column.values``
``datetime``  ISO 8601 timestamp; stored naive, in UTC
``float``     a real number (money in yuan, seconds)
``int``       a whole number
``bool``      ``true``/``false`` (also ``1``/``0``, ``yes``/``no``)
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_NAMES",
    "EVENT_TYPES",
    "CHANNELS",
    "FOLLOW_KINDS",
    "TASK_KINDS",
    "NODE_LABELS",
    "RELATIONSHIPS",
    "table",
]

EVENT_TYPES = ("watch", "like", "comment", "share", "purchase")
CHANNELS = ("douyin", "wechat", "weibo", "qq", "other")
FOLLOW_KINDS = ("follow", "friend")
TASK_KINDS = ("watch", "share", "comment", "like", "invite")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``ref`` names the table and column a foreign key points to;
    ``unique`` marks the table's id; ``min_value`` is an inclusive lower
    bound and ``max_value`` an inclusive upper bound for numbers.
    """

    name: str
    kind: str
    required: bool = False
    unique: bool = False
    ref: tuple[str, str] | None = None
    values: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """One table of the event log: a file ``<name>.csv`` or ``<name>.parquet``."""

    name: str
    columns: tuple[Column, ...]
    doc: str = ""
    key: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _id(name: str, *, ref: tuple[str, str] | None = None, unique: bool = False,
        required: bool = True, doc: str = "") -> Column:
    return Column(name, "id", required=required, unique=unique, ref=ref, doc=doc)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "users",
            (
                _id("user_id", unique=True),
                Column("joined_at", "datetime"),
                Column("segment", "str", doc="free label, e.g. a cohort"),
            ),
            doc="People who watch, interact and buy.",
        ),
        Table(
            "streamers",
            (
                _id("streamer_id", unique=True),
                Column("name", "str"),
                Column("commission_rate", "float", required=True, min_value=0.0, max_value=1.0,
                       doc="share of GMV paid to the host"),
            ),
            doc="Hosts of live streams.",
        ),
        Table(
            "advertisers",
            (
                _id("advertiser_id", unique=True),
                Column("name", "str"),
                Column("industry", "str"),
            ),
            doc="Merchants and brands: they sell products and buy attention.",
        ),
        Table(
            "streams",
            (
                _id("stream_id", unique=True),
                _id("streamer_id", ref=("streamers", "streamer_id")),
                Column("started_at", "datetime", required=True),
                Column("ended_at", "datetime", required=True),
                Column("category", "str"),
            ),
            doc="Live streams; ended_at is not before started_at.",
        ),
        Table(
            "products",
            (
                _id("product_id", unique=True),
                _id("advertiser_id", ref=("advertisers", "advertiser_id"), doc="the merchant"),
                Column("price", "float", required=True, min_value=0.0),
                Column("category", "str"),
            ),
            doc="Products sold in streams.",
        ),
        Table(
            "follows",
            (
                _id("follower_id", ref=("users", "user_id")),
                Column("followee_id", "id", required=True,
                       doc="a user_id or a streamer_id"),
                Column("kind", "enum", required=True, values=FOLLOW_KINDS,
                       doc="follow: one way; friend: mutual, both ways"),
                Column("since", "datetime"),
            ),
            doc="The social graph.",
            key=("follower_id", "followee_id", "kind"),
        ),
        Table(
            "events",
            (
                _id("event_id", unique=True),
                _id("user_id", ref=("users", "user_id")),
                _id("stream_id", ref=("streams", "stream_id")),
                Column("type", "enum", required=True, values=EVENT_TYPES),
                Column("at", "datetime", required=True),
                Column("seconds", "float", min_value=0.0, doc="watch: seconds watched"),
                Column("count", "int", min_value=1, doc="like: taps, default 1"),
                Column("amount", "float", min_value=0.0, doc="purchase: yuan paid"),
                Column("product_id", "id", ref=("products", "product_id"),
                       doc="purchase: the product bought"),
                Column("channel", "enum", values=CHANNELS, doc="share: where it was shared"),
                Column("via_share", "id", ref=("events", "event_id"),
                       doc="watch: event_id of the share the user arrived through"),
            ),
            doc="Every interaction: watch, like, comment, share, purchase.",
        ),
        Table(
            "ad_spend",
            (
                _id("advertiser_id", ref=("advertisers", "advertiser_id")),
                _id("stream_id", ref=("streams", "stream_id")),
                Column("spend", "float", required=True, min_value=0.0),
                Column("impressions", "int", min_value=0),
                Column("at", "datetime"),
            ),
            doc="Advertisers buying attention in streams.",
        ),
        Table(
            "tasks",
            (
                _id("task_id", unique=True),
                Column("kind", "enum", required=True, values=TASK_KINDS),
                Column("threshold", "float", required=True, min_value=0.0,
                       doc="watch: seconds; others: number of actions"),
                Column("reward_coins", "int", required=True, min_value=0),
                Column("reward_coupon", "float", required=True, min_value=0.0,
                       doc="coupon face value in yuan"),
            ),
            doc="Incentive tasks: watch X minutes for coins, share for a coupon.",
        ),
        Table(
            "task_completions",
            (
                _id("user_id", ref=("users", "user_id")),
                _id("task_id", ref=("tasks", "task_id")),
                Column("at", "datetime", required=True),
                Column("coins", "int", required=True, min_value=0),
                Column("coupon", "float", required=True, min_value=0.0),
                Column("coupon_redeemed", "bool", required=True),
            ),
            doc="Rewards paid to users.",
        ),
    )
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)


def table(name: str) -> Table:
    """The :class:`Table` called ``name``."""
    return TABLES[name]


# --- the graph (MODEL.md section 3) ---------------------------------------

#: node label -> (table, id column)
NODE_LABELS: dict[str, tuple[str, str]] = {
    "User": ("users", "user_id"),
    "Streamer": ("streamers", "streamer_id"),
    "Advertiser": ("advertisers", "advertiser_id"),
    "Stream": ("streams", "stream_id"),
    "Product": ("products", "product_id"),
    "Task": ("tasks", "task_id"),
}

#: relationship type -> (start label, end label(s), properties, derived?)
RELATIONSHIPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "HOSTED": ("Streamer", "Stream", ()),
    "SELLS": ("Advertiser", "Product", ()),
    "FOLLOWS": ("User", "User|Streamer", ("kind", "since")),
    "WATCHED": ("User", "Stream", ("event_id", "at", "seconds")),
    "LIKED": ("User", "Stream", ("event_id", "at", "count")),
    "COMMENTED": ("User", "Stream", ("event_id", "at")),
    "SHARED": ("User", "Stream", ("event_id", "at", "channel")),
    "PURCHASED": ("User", "Product", ("event_id", "at", "amount", "stream_id")),
    "REFERRED": ("User", "User", ("stream_id", "share_id", "at", "channel")),
    "SPONSORED": ("Advertiser", "Stream", ("spend", "impressions", "at")),
    "COMPLETED": ("User", "Task", ("at", "coins", "coupon", "coupon_redeemed")),
}

#: event type -> relationship type
EVENT_RELATIONSHIP = {
    "watch": "WATCHED",
    "like": "LIKED",
    "comment": "COMMENTED",
    "share": "SHARED",
    "purchase": "PURCHASED",
}
