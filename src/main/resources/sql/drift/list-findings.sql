-- The open findings, newest first, at most drift.list-limit (the counts cover them all).
SELECT id, kind, subject, detail, found_at, last_seen_at, action, outcome, confirmed_at
FROM drift_finding
WHERE closed_at IS NULL
ORDER BY found_at DESC, id DESC
LIMIT CAST(:#${properties:drift.list-limit} AS integer)
