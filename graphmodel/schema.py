"""The one place that defines the event log and the graph ([docs/model.md, sections 2 and 3][model-2]).

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

The graph: table to labels and types (`NODES`, `EDGES`)
--------------------------------------------------------------------
A node per row, keyed by its id column (the property ``id``); every other
property is the column of the same name.

==========  ================  =============  =============================================
label       table             key            properties
==========  ================  =============  =============================================
User        users             user_id        joined_at, segment
Streamer    streamers         streamer_id    name, commission_rate
Advertiser  advertisers       advertiser_id  name, industry
Stream      streams           stream_id      started_at, ended_at, duration_s (computed),
                                             category
Product     products          product_id     price, category
Task        tasks             task_id        kind, threshold, reward_coins, reward_coupon
==========  ================  =============  =============================================

A relationship per row (of the rows kept, or of a derived table); ends are
``label.column``. Neo4j alone also stores the last column's properties.

==========  ============================  ==================================  ================================  ====================
type        rows                          start -> end                        properties                        Neo4j only
==========  ============================  ==================================  ================================  ====================
HOSTED      streams                       Streamer.streamer_id ->             (none)
                                          Stream.stream_id
SELLS       products                      Advertiser.advertiser_id ->         (none)
                                          Product.product_id
FOLLOWS     follows, derived:             User.source ->                      kind, since
            follow_edges                  User|Streamer.target
WATCHED     events, type watch            User.user_id -> Stream.stream_id    event_id, at, seconds             via_share
LIKED       events, type like             User.user_id -> Stream.stream_id    event_id, at, count               count 1 if missing
COMMENTED   events, type comment          User.user_id -> Stream.stream_id    event_id, at
SHARED      events, type share            User.user_id -> Stream.stream_id    event_id, at, channel
PURCHASED   events, type purchase         User.user_id -> Product.product_id  event_id, at, amount, stream_id
REFERRED    events, derived:              User.referrer_id -> User.user_id    stream_id, share_id, at, channel
            derive_referrals
SPONSORED   ad_spend                      Advertiser.advertiser_id ->         spend, impressions, at            row (its number)
                                          Stream.stream_id
COMPLETED   task_completions              User.user_id -> Task.task_id        at, coins, coupon,                row (its number)
                                                                              coupon_redeemed
==========  ============================  ==================================  ================================  ====================
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
    "EVENT_RELATIONSHIP",
    "NodeMapping",
    "RelationshipMapping",
    "NODES",
    "EDGES",
    "NODE",
    "EDGE",
    "DERIVED_TABLES",
    "DERIVATIONS",
    "node_rows",
    "relationship_rows",
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
    """The `Table` called ``name``."""
    return TABLES[name]


# --- the graph (docs/model.md, section 3) ---------------------------------------
#
# Which table makes which node label and relationship type, with which
# properties and which ends, is declared once, in NODES and EDGES below (the
# table is in the module docstring). The Neo4j loader (both paths), the bulk
# import files, the Spark connector writer, the in-memory store's stats and
# its networkx property graph read it; where Cypher must spell a label or a
# type, tests/test_mapping.py checks each cypher/load file against it.


@dataclass(frozen=True)
class NodeMapping:
    """One node label: a node per row of ``table``, keyed by column ``key``.

    The key becomes the property ``id``; every other property is the column of
    the same name (``computed`` ones are made from the table, see
    `node_rows`). ``load`` names ``cypher/load/<load>.cypher`` (and
    ``cypher/load/fresh/<load>.cypher``), which writes these nodes and the
    relationships whose `RelationshipMapping.load` is the same.
    """

    label: str
    table: str
    key: str
    properties: tuple[str, ...] = ()
    computed: tuple[str, ...] = ()
    load: str = ""

    @property
    def step(self) -> str:
        """What the loader calls the step that writes these nodes."""
        return self.table


@dataclass(frozen=True)
class RelationshipMapping:
    """One relationship type: a relationship per row of ``table``.

    ``start`` and ``end`` are ``(label, column)``: the node of that label whose
    ``id`` is the row's value in that column (``"User|Streamer"``: the first of
    those labels holding the id). ``row_filter`` ``(column, value)`` keeps the
    rows holding ``value`` in ``column`` (events of one type). ``derived``
    names a table of `DERIVED_TABLES` made from ``table`` by a function
    (`relationship_rows`): the rows are that table's. Every property is
    the column of the same name. In Neo4j (and only there) a relationship also
    carries ``row`` (its row's number in ``table``, the loader's key) when
    ``row_number`` is set, the ``extra`` columns, and ``defaults`` fill
    missing cells. ``load`` names ``cypher/load/<load>.cypher`` and
    ``cypher/load/fresh/<load>.cypher``; ``server_derived``: the Neo4j loader
    derives these relationships on the server with that file, after every
    other step, instead of sending rows. ``step`` is what the loader calls it.
    """

    type: str
    table: str
    start: tuple[str, str]
    end: tuple[str, str]
    properties: tuple[str, ...] = ()
    row_filter: tuple[str, str] | None = None
    derived: str | None = None
    row_number: bool = False
    extra: tuple[str, ...] = ()
    defaults: tuple[tuple[str, object], ...] = ()
    load: str = ""
    step: str = ""
    server_derived: bool = False

    @property
    def start_labels(self) -> tuple[str, ...]:
        return tuple(self.start[0].split("|"))

    @property
    def end_labels(self) -> tuple[str, ...]:
        """The end's labels, in the order an id is looked up in them."""
        return tuple(self.end[0].split("|"))

    @property
    def stored_properties(self) -> tuple[str, ...]:
        """The properties of the relationship in Neo4j: ``row`` first if numbered, then
        `properties`, then `extra`."""
        return (("row",) if self.row_number else ()) + self.properties + self.extra

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns a loader sends: the two ends, then `stored_properties`."""
        out: list[str] = []
        for c in (self.start[1], self.end[1], *self.stored_properties):
            if c not in out:
                out.append(c)
        return tuple(out)

    @property
    def source(self) -> Table:
        """The table whose columns the ends and properties name."""
        return DERIVED_TABLES[self.derived] if self.derived else TABLES[self.table]


#: Tables a relationship's rows are derived into (not files of the log), by the
#: functions of `DERIVATIONS` from the relationship's ``table``.
DERIVED_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "follow_edges",
            (
                _id("source", ref=("users", "user_id")),
                Column("target", "id", required=True, doc="a user_id or a streamer_id"),
                Column("kind", "enum", required=True, values=FOLLOW_KINDS),
                Column("since", "datetime"),
            ),
            doc="graphmodel.model.social:follow_edges of follows: friend rows both ways.",
        ),
        Table(
            "referrals",
            (
                _id("referrer_id", ref=("users", "user_id"), doc="the sharer"),
                _id("user_id", ref=("users", "user_id"), doc="the referred user"),
                _id("stream_id", ref=("streams", "stream_id")),
                _id("share_id", ref=("events", "event_id")),
                Column("at", "datetime", required=True, doc="the referred user's arrival"),
                Column("channel", "enum", values=CHANNELS),
                Column("how", "enum", required=True, values=("recorded", "social", "time"),
                       doc="recorded via_share, or inferred (graphmodel.model.inference)"),
            ),
            doc="graphmodel.model.referrals:derive_referrals of events: the first-arrival rule.",
        ),
    )
}

#: derived table -> (module, function) making it from the relationship's table (the
#: engines call them; tests/test_mapping.py checks these names)
DERIVATIONS: dict[str, tuple[str, str]] = {
    "follow_edges": ("graphmodel.model.social", "follow_edges"),
    "referrals": ("graphmodel.model.referrals", "derive_referrals"),
}

NODES: tuple[NodeMapping, ...] = (
    NodeMapping("User", "users", "user_id", ("joined_at", "segment"), load="users"),
    NodeMapping("Streamer", "streamers", "streamer_id", ("name", "commission_rate"),
                load="streamers"),
    NodeMapping("Advertiser", "advertisers", "advertiser_id", ("name", "industry"),
                load="advertisers"),
    NodeMapping("Stream", "streams", "stream_id",
                ("started_at", "ended_at", "duration_s", "category"),
                computed=("duration_s",), load="streams"),
    NodeMapping("Product", "products", "product_id", ("price", "category"), load="products"),
    NodeMapping("Task", "tasks", "task_id",
                ("kind", "threshold", "reward_coins", "reward_coupon"), load="tasks"),
)

_EVENT = ("event_id", "at")

EDGES: tuple[RelationshipMapping, ...] = (
    RelationshipMapping("HOSTED", "streams", ("Streamer", "streamer_id"),
                        ("Stream", "stream_id"), load="streams"),
    RelationshipMapping("SELLS", "products", ("Advertiser", "advertiser_id"),
                        ("Product", "product_id"), load="products"),
    RelationshipMapping("FOLLOWS", "follows", ("User", "source"), ("User|Streamer", "target"),
                        ("kind", "since"), derived="follow_edges", load="follows",
                        step="follows"),
    RelationshipMapping("WATCHED", "events", ("User", "user_id"), ("Stream", "stream_id"),
                        (*_EVENT, "seconds"), row_filter=("type", "watch"),
                        extra=("via_share",), load="watched", step="watches"),
    RelationshipMapping("LIKED", "events", ("User", "user_id"), ("Stream", "stream_id"),
                        (*_EVENT, "count"), row_filter=("type", "like"),
                        defaults=(("count", 1),), load="liked", step="likes"),
    RelationshipMapping("COMMENTED", "events", ("User", "user_id"), ("Stream", "stream_id"),
                        _EVENT, row_filter=("type", "comment"), load="commented",
                        step="comments"),
    RelationshipMapping("SHARED", "events", ("User", "user_id"), ("Stream", "stream_id"),
                        (*_EVENT, "channel"), row_filter=("type", "share"), load="shared",
                        step="shares"),
    RelationshipMapping("PURCHASED", "events", ("User", "user_id"), ("Product", "product_id"),
                        (*_EVENT, "amount", "stream_id"), row_filter=("type", "purchase"),
                        load="purchased", step="purchases"),
    RelationshipMapping("REFERRED", "events", ("User", "referrer_id"), ("User", "user_id"),
                        ("stream_id", "share_id", "at", "channel", "how"), derived="referrals",
                        load="referred", step="referrals", server_derived=True),
    RelationshipMapping("SPONSORED", "ad_spend", ("Advertiser", "advertiser_id"),
                        ("Stream", "stream_id"), ("spend", "impressions", "at"),
                        row_number=True, load="sponsored", step="ad spend"),
    RelationshipMapping("COMPLETED", "task_completions", ("User", "user_id"),
                        ("Task", "task_id"), ("at", "coins", "coupon", "coupon_redeemed"),
                        row_number=True, load="completed", step="task completions"),
)

NODE: dict[str, NodeMapping] = {m.label: m for m in NODES}
EDGE: dict[str, RelationshipMapping] = {m.type: m for m in EDGES}

#: node label -> (table, id column)
NODE_LABELS: dict[str, tuple[str, str]] = {m.label: (m.table, m.key) for m in NODES}

#: relationship type -> (start label, end label(s), properties)
RELATIONSHIPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    m.type: (m.start[0], m.end[0], m.properties) for m in EDGES
}

#: event type -> relationship type
EVENT_RELATIONSHIP: dict[str, str] = {
    m.row_filter[1]: m.type for m in EDGES if m.table == "events" and m.row_filter
}


def _computed(df, name: str):
    if name == "duration_s":
        return (df["ended_at"] - df["started_at"]).dt.total_seconds()
    raise KeyError(name)


def node_rows(log, m: NodeMapping):
    """The rows of ``m``: its table, with its computed columns added at the end."""
    df = log[m.table]
    if m.computed:
        df = df.assign(**{c: _computed(df, c) for c in m.computed})
    return df


def relationship_rows(log, m: RelationshipMapping, derived=None, *, stored: bool = False):
    """The rows of ``m``, one per relationship.

    ``derived``: the derived tables by name (`DERIVED_TABLES`), made by the
    caller with the functions `DERIVATIONS` names (the schema, at the bottom
    of the layers, calls none); needed when ``m.derived`` is set.
    ``stored``: as Neo4j stores them: numbered (column ``row``, 0 to n - 1 over
    the whole table) when `row_number` is set,
    missing cells filled by `defaults`, and only the
    `columns`.
    """
    df = log[m.table]
    if m.derived:
        if derived is None or m.derived not in derived:
            raise ValueError(f"{m.type}: its rows are the derived table {m.derived!r}; pass it")
        df = derived[m.derived]
    if stored and m.row_number:
        df = df.reset_index(drop=True)
        df = df.assign(row=df.index.astype("int64"))
    if m.row_filter is not None:
        column, value = m.row_filter
        df = df.loc[(df[column] == value).to_numpy(dtype=bool)]
    if stored:
        if m.defaults:
            df = df.fillna(dict(m.defaults))
        df = df[list(m.columns)]
    return df
