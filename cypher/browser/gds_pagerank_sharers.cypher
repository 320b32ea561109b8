// Users ranked by PageRank over REFERRED (Graph Data Science), as a table.
// Run first in the Browser:
//   :param limit => 10
// Needs GDS (the local server has it; see docs/neo4j-server.md, "APOC and GDS").
// Projects every User and the REFERRED edges reversed, so that a referred user
// passes rank to the user whose share brought them (a referral in two streams
// counts twice), as the in-memory graph 'graphmodel_pagerank_sharers'; streams
// PageRank with GDS's defaults (damping 0.85, at most 20 iterations, tolerance
// 1e-7; a user nobody credits scores 0.15) and drops the projection. A
// projection of that name left by an interrupted run is dropped first, so two
// runs of this query at the same time on one server get in each other's way.
// Returns user_id, score, referred (REFERRED edges out of the user, any stream)
// and shares (the user's share events), the `limit` highest scores first
// (ties by user_id).
CALL {
  CALL gds.graph.drop('graphmodel_pagerank_sharers', false) YIELD graphName
  RETURN count(graphName) AS stale
}
CALL gds.graph.project(
  'graphmodel_pagerank_sharers', 'User', {REFERRED: {orientation: 'REVERSE'}}
) YIELD graphName
CALL gds.pageRank.stream(graphName, {dampingFactor: 0.85, maxIterations: 20, tolerance: 1.0E-7})
YIELD nodeId, score
WITH graphName, gds.util.asNode(nodeId) AS u, score
ORDER BY score DESC, u.id
LIMIT toInteger($limit)
WITH graphName, collect({user: u, score: score}) AS top
CALL gds.graph.drop(graphName) YIELD graphName AS dropped
UNWIND top AS row
WITH row.user AS u, row.score AS score
RETURN u.id AS user_id, score,
       COUNT { (u)-[:REFERRED]->(:User) } AS referred,
       COUNT { (u)-[:SHARED]->(:Stream) } AS shares
ORDER BY score DESC, user_id;
