-- Marks a booking enrolled in Moodle, so it is never sent again.
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'enrolment' AND entity_id = :#delegate_id
