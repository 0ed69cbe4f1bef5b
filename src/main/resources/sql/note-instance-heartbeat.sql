-- This instance is alive: its claims hold (see V5__instance_heartbeats.sql). Noted only while it holds claims, as
-- that is all a heartbeat is for: with none (sending paused, nothing waiting) it writes nothing. Its next claim notes
-- it again (claim-records.sql).
INSERT INTO sync_instance (instance_id, heartbeat_at)
SELECT :#${bean:claims?method=instance}, now()
WHERE EXISTS (SELECT 1 FROM sync_state
              WHERE claimed_by = :#${bean:claims?method=instance} AND state = 'IN_PROGRESS')
ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()
