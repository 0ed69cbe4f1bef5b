-- The operations are listed once, in org.apitmoodle.sync.Operation, each with its one descriptor. sync_state no
-- longer repeats that list in a constraint: adding an operation needs no migration. Only the integration writes
-- entity_type, through claim_records (claim-records.sql) and the write-back SQL named by each descriptor.
ALTER TABLE sync_state DROP CONSTRAINT sync_state_entity_type_check;
