-- Dry run: releases the claim of a record whose call was recorded instead of sent, so it is not marked done and
-- a real run later takes it at once (rather than after the claim lease).
DELETE FROM sync_state
WHERE entity_type = :#entity_type AND entity_id = :#entity_id AND state = 'IN_PROGRESS'
