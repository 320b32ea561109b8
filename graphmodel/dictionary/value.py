"""The columns of the value accounting: ``value``, ``extraction``, ``distribution``, ``ledger``.

The formulas are those of docs/model.md sections 4, 5 and 7, written out in
docs/value.md; the code that computes them is `graphmodel.model.accounting`,
`graphmodel.model.rates`, `graphmodel.model.returned` and
`graphmodel.analysis.value`.
"""

from __future__ import annotations

from graphmodel.dictionary.core import Column

__all__ = ["VALUE_COLUMNS"]

_USER = "value --by user"
_STREAM = "value --by stream"
_PLATFORM = "value --by platform"
_ACTOR = "value --by actor"
_EXTRACTION = "extraction --by user"
_EXTRACTION_PLATFORM = "extraction --by platform"
_LEDGER = "ledger USER_ID"

_FIGURES = "value.md#the-figures"
_ACTORS = "value.md#capture-by-actor-class-value-by-actor"
_INEQUALITY = "value.md#inequality-distribution"
_EXTRACTED = "value.md#social-relation-extraction-extraction"
_ACCOUNT = "value.md#the-personal-data-account-ledger-user_id"

VALUE_COLUMNS: tuple[Column, ...] = (
    # -- ids ------------------------------------------------------------------------------
    Column(
        "user_id",
        "The user (an id of the users table). In influence, the seed chosen; "
        "with --graph FILE, a node of that network.",
        "id",
        "",
        (_USER, "spread --by user", _EXTRACTION, "influence"),
        "model.md#3-the-graph",
    ),
    Column(
        "stream_id",
        "The stream (an id of the streams table): the row's stream, the "
        "stream of the cascade, or, in the ledger, of the event or of the credited "
        "arrival.",
        "id",
        "",
        (_STREAM, "spread --by cascade", "spread --by stream", _LEDGER),
        "model.md#3-the-graph",
    ),
    Column(
        "streamer_id",
        "The streamer who hosted the stream.",
        "id",
        "",
        (_STREAM,),
        "model.md#3-the-graph",
    ),
    # -- labour and data ------------------------------------------------------------------
    Column(
        "labour_s",
        "Labour time: seconds spent watching, liking, commenting and sharing "
        "(purchases are consumption, not labour). Per user (L_u), summed over a stream's "
        "users, or per event in the ledger.",
        "s",
        "L_u = watch seconds + tau_like x like taps + tau_comment x comments + tau_share x shares",
        (_USER, _STREAM, _LEDGER),
        "model.md#4-labour",
        aliases=("labor_s",),  # its name before 0.2.0 (graphmodel.renamed)
    ),
    Column(
        "labour_hours",
        "Labour time of all users together, in hours.",
        "h",
        "sum over users of L_u / 3600",
        (_PLATFORM,),
        "model.md#4-labour",
        aliases=("labor_hours",),  # its name before 0.2.0 (graphmodel.renamed)
    ),
    Column(
        "data_units",
        "Data units: the interaction data the activity yields, weighted by "
        "its quality (deep interaction and complete viewing weigh more than a tap). Per "
        "user, per stream, platform total, or per event in the ledger.",
        "data units",
        "D = w_like x likes + w_comment x comments + w_share x shares + w_purchase x "
        "purchases + for each watch w_watch x (1 + 4 x completion), completion = min(1, "
        "seconds / stream duration)",
        (_USER, _STREAM, _PLATFORM, _LEDGER),
        "model.md#5-value",
    ),
    # -- the parts of base value ----------------------------------------------------------
    Column(
        "attention_value",
        "Attention value: advertisers' spend on a stream, split over "
        "its viewers by watch seconds. Per stream, platform total, or a watch's part in the "
        "ledger.",
        "yuan",
        "each ad_spend row on stream s x the user's watch seconds in s / all watch seconds in s",
        (_STREAM, _PLATFORM, _LEDGER),
        _FIGURES,
    ),
    Column(
        "commerce_value",
        "Commerce value: the platform's commission on the purchases' gross merchandise value.",
        "yuan",
        "take_rate x GMV",
        (_STREAM, _PLATFORM, _LEDGER),
        _FIGURES,
    ),
    Column(
        "data_value",
        "Data value: what the data units are worth to the platform.",
        "yuan",
        "alpha x p_data x D",
        (_STREAM, _PLATFORM, _LEDGER),
        _FIGURES,
    ),
    Column(
        "user_generated_value",
        "User-generated value: the base value of users' activity "
        "(attention + commerce + data value), of a stream's users or of the whole "
        "platform, where it is T.",
        "yuan",
        "b_{u,s} = attention value + commerce value + data value; T = sum of b = sum of V_u",
        (_STREAM, _PLATFORM, _EXTRACTION_PLATFORM),
        "model.md#5-value",
    ),
    # -- value per user -------------------------------------------------------------------
    Column(
        "kept_value",
        "The base value of the user's own activity that the user keeps: all "
        "of it in a stream the user came to on their own, (1 - lambda) of it in a stream "
        "the user was referred into. Summed over streams per user; per event in the "
        "ledger.",
        "yuan",
        "kept_{u,s} = b_{u,s}, or (1 - lambda) b_{u,s} if u arrived in s through a "
        "referral; ledger: value - to_referrers",
        (_USER, _LEDGER),
        _FIGURES,
    ),
    Column(
        "relational_value",
        "Relational value: credit received through referrals, the part "
        "of referred arrivals' value passed up their referral paths. Per user (R_u); per "
        "stream, the credit from arrivals in that stream; platform-wide, the sum over "
        "users.",
        "yuan",
        "R_u = sum over arrivals w in streams s below u on a referral path of lambda "
        "b_{w,s} x u's attribution weight (decay, last, first or linear)",
        (_USER, _STREAM, _PLATFORM, _EXTRACTION, _EXTRACTION_PLATFORM),
        "value.md#attribution-of-relational-value",
    ),
    Column(
        "value_produced",
        "Value produced by the user: the base value the user keeps plus "
        "the credit received; over all users it adds up to T.",
        "yuan",
        "V_u = sum over streams of kept_{u,s} + R_u",
        (_USER, _EXTRACTION),
        "model.md#5-value",
    ),
    Column(
        "value_returned",
        "Value returned: what users got back, task rewards as coins and "
        "redeemed coupons (unredeemed coupons are worth nothing). Per user (v_u) or "
        "platform total.",
        "yuan",
        "v_u = coins x coin_yuan + coupons redeemed",
        (_USER, _PLATFORM),
        "model.md#5-value",
    ),
    Column(
        "surplus",
        "Surplus: value produced and not returned. Per user (s_u) or platform-wide.",
        "yuan",
        "s_u = V_u - v_u; platform: T - sum v",
        (_USER, _PLATFORM),
        "model.md#5-value",
    ),
    Column(
        "exploitation_rate",
        "Rate of exploitation (the rate of surplus value s/v): "
        "surplus per yuan returned. Null where nothing was returned (v = 0).",
        "ratio",
        "e_u = s_u / v_u; platform: e = (T - sum v) / sum v",
        (_USER, _PLATFORM),
        "model.md#5-value",
    ),
    Column(
        "unpaid_share",
        "The part of the user's value produced that was not returned; "
        "null where V_u = 0, negative where the user got back more than they produced.",
        "share 0-1",
        "s_u / V_u",
        (_USER,),
        "model.md#5-value",
    ),
    Column(
        "hourly_wage",
        "Implicit hourly wage: value returned per hour of labour, to set "
        "beside the reference minimum wage min_wage_hour; null where L_u = 0.",
        "yuan per hour",
        "v_u / (L_u / 3600)",
        (_USER,),
        "model.md#4-labour",
    ),
    # -- per stream -----------------------------------------------------------------------
    Column(
        "ad_spend",
        "Advertisers' spend on the stream (its ad_spend rows).",
        "yuan",
        "sum of ad_spend.spend on the stream",
        (_STREAM,),
        _FIGURES,
    ),
    Column(
        "unallocated_ad_spend",
        "Ad spend on streams with no watch seconds: there is no "
        "attention to split it over, so it is reported and left out of T (it is still the "
        "platform's cash in value --by actor).",
        "yuan",
        "ad spend on streams whose watch seconds sum to 0",
        (_STREAM, _PLATFORM),
        "value.md#decisions-the-specification-leaves-open",
    ),
    Column(
        "gmv",
        "Gross merchandise value: the amounts of the purchases made in the stream.",
        "yuan",
        "sum of purchase amounts",
        (_STREAM,),
        _FIGURES,
    ),
    # -- platform -------------------------------------------------------------------------
    Column(
        "users",
        "Users of the log: every row of its users table, active or not.",
        "count",
        "",
        (_PLATFORM, "distribution"),
        "model.md#2-the-event-log",
    ),
    Column(
        "relational_share",
        "The part of user-generated value T that flowed through users' "
        "social relations (referrals); null where T = 0. In check-inference, computed "
        "from the row's referrals.",
        "share 0-1",
        "sum of R_u / T",
        (_PLATFORM, _EXTRACTION_PLATFORM, "check-inference"),
        "model.md#5-value",
    ),
    Column(
        "wholly_unpaid_users",
        "Users who worked (L_u > 0) and got nothing back (v_u = 0); "
        "users without activity are neither paid nor unpaid.",
        "count",
        "users with L_u > 0 and v_u = 0",
        (_PLATFORM,),
        "value.md#decisions-the-specification-leaves-open",
    ),
    Column(
        "below_min_wage_share",
        "The share of users with labour time whose implicit hourly "
        "wage is below min_wage_hour (a user with v_u = 0 counts as below); null when "
        "nobody worked.",
        "share 0-1",
        "users with L_u > 0 and v_u / (L_u / 3600) < min_wage_hour / users with L_u > 0",
        (_PLATFORM,),
        "value.md#decisions-the-specification-leaves-open",
    ),
    # -- capture by actor class -----------------------------------------------------------
    Column(
        "actor",
        "The actor class: users, streamers, merchants or platform.",
        "text",
        "",
        (_ACTOR,),
        _ACTORS,
    ),
    Column(
        "cash",
        "The cash the actor class captures out of GMV and ad spend.",
        "yuan",
        "users: sum v_u; streamers: each stream's GMV x its host's commission_rate; "
        "merchants: GMV - streamer commission - take_rate x GMV; platform: all ad spend "
        "+ take_rate x GMV - sum v_u",
        (_ACTOR,),
        _ACTORS,
    ),
    Column(
        "data_asset",
        "The data asset the actor class holds: the platform's data value; 0 for the others.",
        "yuan",
        "platform: alpha x p_data x sum D",
        (_ACTOR,),
        _ACTORS,
    ),
    Column(
        "total",
        "What the actor class captures in all.",
        "yuan",
        "cash + data_asset",
        (_ACTOR,),
        _ACTORS,
    ),
    Column(
        "share",
        "The actor class's part of everything captured: the money that flowed "
        "(GMV + ad spend) plus the data asset.",
        "share 0-1",
        "total / (GMV + ad spend + alpha x p_data x sum D)",
        (_ACTOR,),
        _ACTORS,
    ),
    # -- extraction -----------------------------------------------------------------------
    Column(
        "share_invite_rewards",
        "The rewards of share and invite tasks: what the platform "
        "paid for the user's (or all users') social relations.",
        "yuan",
        "coins x coin_yuan + redeemed coupons, over completions of share and invite tasks",
        (_EXTRACTION, _EXTRACTION_PLATFORM),
        _EXTRACTED,
    ),
    Column(
        "unpaid_relational",
        "Relational value the social-task rewards did not pay for.",
        "yuan",
        "R_u - share_invite_rewards",
        (_EXTRACTION,),
        _EXTRACTED,
    ),
    Column(
        "relational_per_reward",
        "Yuan of relational value per yuan of share and invite rewards; null without such rewards.",
        "ratio",
        "R / share_invite_rewards",
        (_EXTRACTION, _EXTRACTION_PLATFORM),
        _EXTRACTED,
    ),
    Column(
        "direct_referrals",
        "Arrivals the user referred directly: their REFERRED "
        "out-degree over all streams (an arrival is a user's first arrival in a stream).",
        "count",
        "REFERRED edges from the user",
        ("spread --by user", _EXTRACTION),
        "spread.md#per-stream-and-per-user",
    ),
    Column(
        "credited_arrivals",
        "Referred arrivals with the user on their referral path, at "
        "any number of hops: the arrivals whose value the attribution model may credit to "
        "the user.",
        "count",
        "referral-path rows with the user as ancestor",
        (_EXTRACTION,),
        _EXTRACTED,
    ),
    Column(
        "relational_share_of_produced",
        "The part of the user's value produced that came through referrals; null where V_u = 0.",
        "share 0-1",
        "R_u / V_u",
        (_EXTRACTION,),
        _EXTRACTED,
    ),
    Column(
        "users_with_relational_value",
        "Users credited with any relational value.",
        "count",
        "users with R_u > 0",
        (_EXTRACTION_PLATFORM,),
        _EXTRACTED,
    ),
    Column(
        "top10_relational_share",
        "The share of all relational value held by the top 10% "
        "of the users who have any (at least one user); null when nobody has any.",
        "share 0-1",
        "sum of the ceil(0.1 k) largest R_u / sum of R_u, over the k users with R_u > 0",
        (_EXTRACTION_PLATFORM,),
        _EXTRACTED,
    ),
    # -- distribution ---------------------------------------------------------------------
    Column(
        "measure",
        "The per-user quantity the row describes: value_produced (V_u) or value_returned (v_u).",
        "text",
        "",
        ("distribution", "distribution --lorenz"),
        _INEQUALITY,
    ),
    Column(
        "total",
        "The measure summed over all users.",
        "yuan",
        "sum of x over users",
        ("distribution",),
        _INEQUALITY,
    ),
    Column(
        "mean",
        "Mean of the measure over all users, zeros included; null without users.",
        "yuan",
        "sum of x / n",
        ("distribution",),
        _INEQUALITY,
    ),
    Column(
        "median",
        "Median of the measure over all users, zeros included; null without users.",
        "yuan",
        "",
        ("distribution",),
        _INEQUALITY,
    ),
    Column(
        "gini",
        "Gini coefficient of the measure over all users, zeros included: 0 when "
        "all have the same, towards 1 when one user has all; null when the total is 0.",
        "share 0-1",
        "2 sum_i i x_(i) / (n sum x) - (n + 1) / n, x sorted ascending",
        ("distribution",),
        _INEQUALITY,
    ),
    Column(
        "top1_share",
        "The share of the total held by the top 1% of users (at least one "
        "user); null when the total is 0.",
        "share 0-1",
        "sum of the ceil(0.01 n) largest x / sum of x",
        ("distribution",),
        _INEQUALITY,
    ),
    Column(
        "top10_share",
        "The share of the total held by the top 10% of users (at least one "
        "user); null when the total is 0.",
        "share 0-1",
        "sum of the ceil(0.1 n) largest x / sum of x",
        ("distribution",),
        _INEQUALITY,
    ),
    Column(
        "zero_share",
        "The share of users whose measure is 0; null without users.",
        "share 0-1",
        "users with x = 0 / n",
        ("distribution",),
        _INEQUALITY,
    ),
    Column(
        "population_share",
        "A point of the Lorenz curve: the share of users, those with "
        "the least first; evenly spaced from 0 to 1 (--points).",
        "share 0-1",
        "k / n",
        ("distribution --lorenz",),
        _INEQUALITY,
    ),
    Column(
        "value_share",
        "The Lorenz curve at population_share: the share of the total held "
        "by that share of users, those with the least first; null when the total is 0.",
        "share 0-1",
        "L(k/n) = (x_(1) + ... + x_(k)) / sum of x, x sorted ascending",
        ("distribution --lorenz",),
        _INEQUALITY,
    ),
    # -- the personal data account --------------------------------------------------------
    Column(
        "entry",
        "The kind of ledger row: event (one of the user's events), credit (credit "
        "earned through another user's referred arrival), reward (a task completion) or "
        "total (the sums, equal to the user's row of value --by user).",
        "text",
        "",
        (_LEDGER,),
        _ACCOUNT,
    ),
    Column(
        "source",
        "What the ledger row comes from: the event id (event), the arriving "
        "user's id (credit), the task id (reward), or the user's own id (total).",
        "id",
        "",
        (_LEDGER,),
        _ACCOUNT,
    ),
    Column(
        "type",
        "The event's type (watch, like, comment, share, purchase); 'referral, N "
        "hops up' for a credit, 'KIND task' for a reward.",
        "text",
        "",
        (_LEDGER,),
        _ACCOUNT,
    ),
    Column(
        "at",
        "When the event happened or the task was completed; empty for credit and total rows.",
        "timestamp",
        "",
        (_LEDGER,),
        _ACCOUNT,
    ),
    Column(
        "value",
        "The event's base value (the total row: their sum).",
        "yuan",
        "b = attention_value + commerce_value + data_value",
        (_LEDGER,),
        _ACCOUNT,
    ),
    Column(
        "to_referrers",
        "The part of the event's value credited up the user's referral "
        "path: lambda x value where the user arrived in the stream through a referral, 0 "
        "otherwise.",
        "yuan",
        "lambda x value, if referred into the stream",
        (_LEDGER,),
        _ACCOUNT,
    ),
    Column(
        "credit",
        "Credit the user earned from another user's referred arrival (credit "
        "rows); the total row's is R_u.",
        "yuan",
        "lambda b_{w,s} x the user's attribution weight, hops above w",
        (_LEDGER,),
        "value.md#attribution-of-relational-value",
    ),
    Column(
        "returned",
        "Value returned by a task completion (reward rows); the total row's is v_u.",
        "yuan",
        "coins x coin_yuan + the coupon, if redeemed",
        (_LEDGER,),
        _ACCOUNT,
    ),
    Column(
        "fed",
        "Whom the event fed: the advertisers sponsoring the stream (a watch), the "
        "merchant selling the product (a purchase); empty otherwise.",
        "id",
        "",
        (_LEDGER,),
        _ACCOUNT,
    ),
)
