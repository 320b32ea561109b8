// Advertiser nodes of a fresh-database load. Columns: $advertiser_id, $name, $industry.
UNWIND range(0, size($advertiser_id) - 1) AS i
CREATE (:Advertiser {id: $advertiser_id[i], name: $name[i], industry: $industry[i]})
RETURN count(*) AS n;
