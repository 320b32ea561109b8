"""A local Neo4j 5.26 LTS Community server, assembled from Maven Central and run with ``java``.

No Docker needed: ``pom.xml`` lists the jars, Maven copies them once into
``~/.cache/graphmodel/neo4j-<version>/lib`` and `LocalServer` starts
``org.neo4j.server.CommunityEntryPoint`` as the tarball's ``bin/neo4j
console`` does, on 127.0.0.1 only, with a generated password kept in a
file only its owner can read. ``graphmodel server start|stop|status`` is
the command-line twin. See docs/neo4j-server.md.
"""

from graphmodel.server.credentials import read_credentials
from graphmodel.server.local import LocalServer, ServerInfo, ServerStatus

__all__ = ["LocalServer", "ServerInfo", "ServerStatus", "read_credentials"]
