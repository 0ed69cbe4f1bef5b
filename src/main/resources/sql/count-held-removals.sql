-- The removal guard, for its health check: the cancellations waiting that no operator confirmed (not counting
-- those already claimed). More than changes.max-removals-per-poll of them and claim-cancellations.sql takes none.
SELECT count(*) AS held
FROM waiting_cancellation w
WHERE NOT EXISTS (SELECT 1 FROM removal_confirmation r WHERE r.enrolment_id = w.id)
  AND NOT EXISTS (SELECT 1 FROM sync_state s
                  WHERE s.entity_type = 'cancellation' AND s.entity_id = w.id
                    AND s.state = 'IN_PROGRESS' AND s.lease_until >= now())
