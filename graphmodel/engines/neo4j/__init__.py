"""Neo4j: connecting with the right credentials, and loading an event log."""
