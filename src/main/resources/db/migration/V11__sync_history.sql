-- The status page's chart of the last 24 hours, per hour: records synced and dead-lettered, and the seconds
-- sending was paused. Kept here, not in memory, so a restart keeps it. Written once per batch (one upsert into
-- the batch's hour) and once per pause, when it ends; never in a dry run. Rows older than a week are deleted.
CREATE TABLE sync_hour (
    hour           timestamptz PRIMARY KEY,          -- the hour's start
    synced         bigint      NOT NULL DEFAULT 0,   -- records Moodle took (the grade poll's reads are not counted)
    dead_lettered  bigint      NOT NULL DEFAULT 0,   -- records that went to the dead-letter queue
    paused_seconds bigint      NOT NULL DEFAULT 0    -- summed over instances: the page shows at most the hour
);
