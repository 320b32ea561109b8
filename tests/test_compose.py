"""docker-compose.yml: the Neo4j service for users who have Docker."""

import json
from pathlib import Path

import yaml

from graphmodel.server.config import GROUPING_THRESHOLD

ROOT = Path(__file__).resolve().parents[1]


def test_compose_runs_neo4j_526_on_loopback_with_auth_from_the_environment():
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    svc = doc["services"]["neo4j"]
    assert svc["image"] == "neo4j:5.26-community"
    assert sorted(svc["ports"]) == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]
    auth = svc["environment"]["NEO4J_AUTH"]
    assert auth.startswith("${NEO4J_AUTH") and "/" not in auth.split(":")[0]
    assert json.loads(svc["environment"]["NEO4J_PLUGINS"]) == ["apoc", "graph-data-science"]
    threshold = svc["environment"]["NEO4J_db_relationship__grouping__threshold"]
    assert str(threshold) == str(GROUPING_THRESHOLD)
    assert "test" in svc["healthcheck"]
    volume = svc["volumes"][0].split(":")[0]
    assert volume in doc["volumes"]


def test_no_password_is_committed():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "NEO4J_AUTH: neo4j/" not in text
    example = (ROOT / ".env.example").read_text()
    assert "NEO4J_AUTH=" in example and "NEO4J_PASSWORD=" in example
    assert ".env" in (ROOT / ".gitignore").read_text().split()
