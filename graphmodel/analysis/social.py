"""The social graph: ``FOLLOWS`` relationships from the ``follows`` table (MODEL.md section 3).

A ``follow`` row is one directed tie (follower -> followee). A ``friend``
row is a mutual contact: it becomes two ``FOLLOWS {kind: 'friend'}``
relationships, one each way. A friend pair recorded twice (``a,b`` and
``b,a``) is still one pair, so it still gives two relationships; the same
goes for a follow row repeated with identical ends.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["follow_edges"]


def follow_edges(follows: pd.DataFrame) -> pd.DataFrame:
    """Directed ``FOLLOWS`` edges: ``source, target, kind, since``, one per relationship.

    ``since`` of a friend pair recorded twice is the earlier of the two.
    """
    cols = ["follower_id", "followee_id", "kind", "since"]
    f = follows[cols].rename(columns={"follower_id": "source", "followee_id": "target"})
    friends = f[f["kind"] == "friend"]
    reverse = friends.rename(columns={"source": "target", "target": "source"})
    edges = pd.concat([f, reverse[["source", "target", "kind", "since"]]], ignore_index=True)
    edges = edges.sort_values(["source", "target", "kind", "since"], kind="mergesort", na_position="last")
    edges = edges.drop_duplicates(["source", "target", "kind"], keep="first")
    return edges.reset_index(drop=True)
