-- The claims an instance holds, found at once: its heartbeat is noted only while it holds some (see
-- note-instance-heartbeat.sql), and live_claim reads the claims in progress.
CREATE INDEX sync_state_claims ON sync_state (claimed_by) WHERE state = 'IN_PROGRESS';
