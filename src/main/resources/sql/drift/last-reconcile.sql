-- The latest reconcile, for the status page.
SELECT id, state, started_at, finished_at, accounts, courses, enrolments, moodle_calls, findings, note
FROM drift_reconcile
ORDER BY id DESC
LIMIT 1
