-- A reconcile whose instance stopped before it ended (its lease ran out) is marked STOPPED, so another may begin.
UPDATE drift_reconcile
SET state = 'STOPPED', finished_at = now(), note = coalesce(note, 'Its instance stopped before it ended.')
WHERE state = 'RUNNING' AND lease_until < now()
