-- After a complete reconcile: an open finding it did not see again is gone (someone put it right, or the booking
-- changed), and is closed.
UPDATE drift_finding
SET closed_at = now(), outcome = coalesce(outcome || ' ', '') || 'No longer found by the reconcile: closed.'
WHERE closed_at IS NULL AND last_seen_run < :#${exchangeProperty.reconcile.id}
