// Communities of the follow graph by Leiden (Graph Data Science), as a table.
// Run first in the Browser:
//   :param limit => 10
// Needs GDS (the local server has it; see docs/neo4j-server.md, "APOC and GDS").
// Projects every User and Streamer and the FOLLOWS edges as undirected ties,
// one per pair (a friendship, stored as two FOLLOWS, and a follow of the same
// pair are one tie), as the in-memory graph 'graphmodel_follow_communities';
// streams Leiden (modularity, unweighted; Louvain with a refinement step that
// keeps every community connected; GDS's defaults but one thread and a fixed
// random seed) and drops the projection. The result depends on the order of
// the nodes and edges: the projection takes them in the order of their ids, so
// the same log gives the same communities on any server, whatever internal ids
// the database gave the nodes. A projection of that name left by an interrupted
// run is dropped first, so two runs of this query at the same time on one
// server get in each other's way.
// Community numbers are Leiden's labels: they name a community within one
// run, not across runs.
// Returns community, size (nodes), users, streamers (their ids), ties_inside
// (FOLLOWS ties with both ends in the community) and members (the first 10 ids
// in order), the `limit` largest communities first (ties by their first member).
CALL {
  CALL gds.graph.drop('graphmodel_follow_communities', false) YIELD graphName
  RETURN count(graphName) AS stale
}
CALL {
  MATCH (n) WHERE n:User OR n:Streamer
  RETURN n AS a, null AS b ORDER BY n.id
  UNION ALL
  CALL {
    MATCH (a:User)-[:FOLLOWS]-(b:User) WHERE a.id < b.id RETURN DISTINCT a, b
    UNION
    MATCH (a:User)-[:FOLLOWS]->(b:Streamer) RETURN DISTINCT a, b
  }
  RETURN a, b ORDER BY a.id, b.id
}
WITH gds.graph.project(
  'graphmodel_follow_communities', a, b, {}, {undirectedRelationshipTypes: ['*']}
) AS g
WITH g.graphName AS graphName
CALL gds.leiden.stream(graphName, {concurrency: 1, randomSeed: 42}) YIELD nodeId, communityId
WITH graphName, communityId, gds.util.asNode(nodeId) AS n
ORDER BY n.id
WITH graphName, communityId, collect(n) AS nodes
WITH graphName, collect({community: communityId, nodes: nodes}) AS communities
CALL gds.graph.drop(graphName) YIELD graphName AS dropped
UNWIND communities AS c
WITH c.community AS community, c.nodes AS nodes
RETURN community, size(nodes) AS size,
       size([n IN nodes WHERE n:User]) AS users,
       [n IN nodes WHERE n:Streamer | n.id] AS streamers,
       COUNT {
         MATCH (a)-[:FOLLOWS]-(b)
         WHERE a IN nodes AND b IN nodes AND elementId(a) < elementId(b)
         RETURN DISTINCT a, b
       } AS ties_inside,
       [n IN nodes | n.id][..10] AS members
ORDER BY size DESC, members[0]
LIMIT toInteger($limit);
