-- The backlog for the metric apit_sync_backlog: per operation, its waiting records. The view "waiting" is made at
-- every start from the operations' own definitions (waiting/*.sql), the same the claims read.
SELECT entity_type, count(*) AS waiting
FROM waiting
GROUP BY entity_type
