-- This instance is alive: its claims hold (see V5__instance_heartbeats.sql).
INSERT INTO sync_instance (instance_id, heartbeat_at)
VALUES (:#${properties:sync.instance-id}, now())
ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()
