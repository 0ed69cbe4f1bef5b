-- Every cause (entity type and error code) of the OPEN entries and how many it has: the page's filters.
SELECT entity_type, error_code, count(*) AS entries
FROM dead_letter
WHERE state = 'OPEN'
GROUP BY entity_type, error_code
ORDER BY entity_type, error_code
