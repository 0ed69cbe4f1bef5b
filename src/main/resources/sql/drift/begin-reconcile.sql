-- Begins a reconcile for this instance, unless one is running (only one at a time, on any instance: the unique
-- index drift_reconcile_running). Returns its id, or nothing.
INSERT INTO drift_reconcile (instance_id, lease_until)
VALUES (:#${bean:claims?method=instance}, now() + CAST(:#${properties:drift.lease} AS interval))
ON CONFLICT DO NOTHING
RETURNING id
