-- The open findings per kind, and how many of them the mass-repair guard holds (status page, metric).
SELECT kind, count(*) AS open, count(*) FILTER (WHERE action = 'HELD') AS held
FROM drift_finding
WHERE closed_at IS NULL
GROUP BY kind
