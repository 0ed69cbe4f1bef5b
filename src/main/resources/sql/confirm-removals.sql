-- An operator confirms the removals the guard holds (POST /removals/confirm): every cancellation waiting now is
-- confirmed, and none that comes later. Confirmations of enrolments no longer waiting (re-booked meanwhile) go.
WITH stale AS (
    DELETE FROM removal_confirmation r
    WHERE NOT EXISTS (SELECT 1 FROM waiting_cancellation w WHERE w.id = r.enrolment_id)
)
INSERT INTO removal_confirmation (enrolment_id)
SELECT id FROM waiting_cancellation
ON CONFLICT (enrolment_id) DO NOTHING
