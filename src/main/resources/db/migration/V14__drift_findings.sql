-- Drift: what changed in Moodle behind the integration's back (a learner unenrolled or suspended by hand, an account
-- or a course deleted, a written-back id that now holds another account or course), found by the reconcile
-- (routes/drift.camel.yaml), shown to operators and, where drift.<kind> = repair, handed back to the operations.

-- One row per reconcile: which instance runs it (only one at a time: a running row whose lease has not ended
-- keeps others out), what it read and what it found.
CREATE TABLE drift_reconcile (
    id            bigserial   PRIMARY KEY,
    instance_id   text        NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    lease_until   timestamptz NOT NULL,
    finished_at   timestamptz,
    -- RUNNING, DONE (every course and account compared), STOPPED (Moodle could not be read: nothing closed).
    state         text        NOT NULL DEFAULT 'RUNNING' CHECK (state IN ('RUNNING', 'DONE', 'STOPPED')),
    courses       integer     NOT NULL DEFAULT 0,
    accounts      integer     NOT NULL DEFAULT 0,
    enrolments    integer     NOT NULL DEFAULT 0,
    moodle_calls  integer     NOT NULL DEFAULT 0,
    findings      integer     NOT NULL DEFAULT 0,
    note          text
);

-- One row per finding, open until it is repaired or no longer found by a complete reconcile.
CREATE TABLE drift_finding (
    id               bigserial   PRIMARY KEY,
    -- enrolment-missing, enrolment-suspended, enrolment-reactivated, account-deleted, account-suspended,
    -- account-replaced, course-deleted, course-replaced (org.apitmoodle.drift.DriftKind).
    kind             text        NOT NULL,
    -- What it is about, named as people know it (a learner by name and email, a course by its label).
    subject          text        NOT NULL,
    -- What was found, in a sentence a training administrator can act on.
    detail           text        NOT NULL,
    enrolment_id     bigint,                 -- moodle_enrolment.id (enrolment kinds)
    delegate_id      bigint,
    user_id          bigint,                 -- users.id
    course_id        bigint,                 -- courses.id (a course the integration created)
    moodle_user_id   bigint,
    moodle_course_id bigint,
    -- The integration's record when found (enrolment kinds): a repair applies only while it is still so.
    record_state     text,
    found_at         timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_run    bigint      NOT NULL,
    -- REPORTED (drift.<kind> = report), REPAIR (to be repaired), HELD (the mass-repair guard holds it until an
    -- operator confirms), REPAIRED (handed back to the operations), NOT_REPAIRED (could not be: see outcome).
    action           text        NOT NULL CHECK (action IN ('REPORTED', 'REPAIR', 'HELD', 'REPAIRED', 'NOT_REPAIRED')),
    confirmed_at     timestamptz,
    confirmed_by     text,
    outcome          text,
    closed_at        timestamptz,
    -- One open finding per kind and thing.
    key              text        NOT NULL
);
CREATE UNIQUE INDEX drift_finding_open ON drift_finding (key) WHERE closed_at IS NULL;
CREATE INDEX drift_finding_closed_at ON drift_finding (closed_at);
-- One reconcile running at a time, on any instance.
CREATE UNIQUE INDEX drift_reconcile_running ON drift_reconcile ((true)) WHERE state = 'RUNNING';
