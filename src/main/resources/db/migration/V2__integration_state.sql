-- The integration's own state, kept apart from the accessplanit tables.

-- One row per record the integration has claimed, finished or given up on.
-- No row: the record is waiting. IN_PROGRESS: claimed by an instance until lease_until (a claim left by a
-- killed instance is taken over once the lease has run out). DONE: in Moodle. FAILED: in the dead-letter queue.
CREATE TABLE sync_state (
    entity_type text        NOT NULL CHECK (entity_type IN ('course', 'user', 'enrolment')),
    entity_id   bigint      NOT NULL,        -- courses.id, users.id or delegates.id
    state       text        NOT NULL CHECK (state IN ('IN_PROGRESS', 'DONE', 'FAILED')),
    claimed_by  text,
    lease_until timestamptz,
    attempts    integer     NOT NULL DEFAULT 0,
    moodle_id   bigint,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity_type, entity_id)
);

-- What could not be synced, for an operator to fix and replay, or discard.
CREATE TABLE dead_letter (
    id              bigserial   PRIMARY KEY,
    entity_type     text        NOT NULL,
    entity_id       bigint      NOT NULL,
    moodle_function text,
    moodle_params   jsonb,                   -- what was (or would have been) sent for this record; never the token
    error_class     text        NOT NULL,    -- bad-data, transient, configuration
    error_code      text        NOT NULL,    -- Moodle's errorcode, or ours for problems found before sending
    error_message   text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 1,
    first_failed_at timestamptz NOT NULL DEFAULT now(),
    last_failed_at  timestamptz NOT NULL DEFAULT now(),
    state           text        NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'REPLAYED', 'DISCARDED')),
    discard_reason  text
);

-- At most one open entry per record: a record that fails again updates its entry.
CREATE UNIQUE INDEX dead_letter_open_record ON dead_letter (entity_type, entity_id) WHERE state = 'OPEN';
