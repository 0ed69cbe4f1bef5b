-- Open dead-letter entries per entity type, for the metric apit_dead_letter_open and the health check.
SELECT entity_type, count(*) AS open
FROM dead_letter
WHERE state = 'OPEN'
GROUP BY entity_type
