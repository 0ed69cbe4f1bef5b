-- Each running instance notes here that it is alive (sync.heartbeat-period-ms, also while its Moodle calls run).
-- A claim (sync_state IN_PROGRESS) is held while its instance's heartbeat is younger than sync.instance-timeout-ms:
-- the claims of a killed instance, or of one restarted under a new id, are taken over after that short time,
-- without waiting out sync.claim-lease, and a healthy instance's long call never loses its claims.
CREATE TABLE sync_instance (
    instance_id  text        PRIMARY KEY,    -- sync_state.claimed_by
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
