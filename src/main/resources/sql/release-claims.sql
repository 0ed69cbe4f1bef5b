-- Releases a record claimed by this instance without sending it (sending is paused): its claim no longer names
-- this instance and its lease ends now, so the next poll after sending resumes claims it again. It is not failed
-- and not dead-lettered.
UPDATE sync_state
SET lease_until = now(), claimed_by = NULL, updated_at = now()
WHERE entity_type = :#entity_type AND entity_id = :#entity_id AND state = 'IN_PROGRESS'
