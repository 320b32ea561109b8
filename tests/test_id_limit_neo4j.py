"""Ids at the validator's limit load into a real Neo4j 5; longer ones are what Neo4j refuses.

``MAX_ID_BYTES`` (graphmodel/eventlog/columns.py) keeps ids within what a
Neo4j range index key holds; here the server itself says so.
"""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.eventlog.columns import MAX_ID_BYTES

pytestmark = pytest.mark.neo4j


def test_a_log_with_ids_at_the_limit_loads(tiny_dir, tmp_path, neo4j_env):
    import os

    import neo4j

    user = "ü" * (MAX_ID_BYTES // 2)  # 4,000 characters, 8,000 bytes of UTF-8
    event = "e" * MAX_ID_BYTES
    folder = tmp_path / "log"
    shutil.copytree(tiny_dir, folder)
    for f in folder.glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace("u6", user).replace("e15,", f"{event},"), encoding="utf-8")
    r = CliRunner().invoke(main, ["load", str(folder), "--quiet"])
    assert r.exit_code == 0, r.output
    auth = (os.environ["NEO4J_USER"], os.environ["NEO4J_PASSWORD"])
    with neo4j.GraphDatabase.driver(neo4j_env, auth=auth) as driver:
        rows = driver.execute_query(
            "MATCH (u:User {id: $user})-[w:WATCHED {event_id: $event}]->(s:Stream) "
            "RETURN size(u.id) AS n, size(w.event_id) AS m, s.id AS s",
            user=user,
            event=event,
        ).records
    assert [tuple(x.values()) for x in rows] == [(4000, 8000, "s2")]


def test_the_server_indexes_8164_bytes_and_refuses_8165(neo4j_env):
    """The figure behind the limit: Neo4j 5.26's index on node ids (a uniqueness
    constraint) takes a string of 8,164 bytes and refuses 8,165."""
    import os

    import neo4j

    auth = (os.environ["NEO4J_USER"], os.environ["NEO4J_PASSWORD"])
    with neo4j.GraphDatabase.driver(neo4j_env, auth=auth) as driver:
        driver.execute_query(
            "CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE"
        )
        driver.execute_query("CREATE (:User {id: $id})", id="x" * 8164)
        with pytest.raises(neo4j.exceptions.Neo4jError, match="too large to index"):
            driver.execute_query("CREATE (:User {id: $id})", id="y" * 8165)
    assert MAX_ID_BYTES < 8164
