-- What the integration enrolled, so changes in accessplanit (a cancelled, re-booked or moved booking) reach the
-- Moodle enrolment the integration made, and no other.

-- Two more kinds of record in sync_state (and in the dead-letter queue), both keyed by moodle_enrolment.id:
--   'cancellation'  an enrolment being (or that could not be) suspended or unenrolled (changes.cancelled-booking);
--   'reactivation'  a suspended enrolment being (or that could not be) made active again.
ALTER TABLE sync_state DROP CONSTRAINT sync_state_entity_type_check;
ALTER TABLE sync_state ADD CONSTRAINT sync_state_entity_type_check
    CHECK (entity_type IN ('course', 'user', 'enrolment', 'grades', 'course-dates', 'cancellation', 'reactivation'));

-- One row per booking and Moodle course the integration enrolled it on (a booking moved to another Moodle course
-- has a row for each). Written by the enrolment's write-back; only these enrolments are ever suspended, unenrolled
-- or re-activated. A teacher's own enrolments in Moodle have no row here.
CREATE TABLE moodle_enrolment (
    id               bigserial   PRIMARY KEY,
    delegate_id      bigint      NOT NULL,   -- delegates.id (the booking)
    course_id        bigint,                 -- courses.id the booking was on when it was last enrolled here
    moodle_user_id   bigint      NOT NULL,
    moodle_course_id bigint      NOT NULL,
    -- ACTIVE: enrolled; SUSPENDED: suspended by the integration (enrol_manual_enrol_users suspend=1, which also
    -- clears the enrolment's start and end dates in Moodle); UNENROLLED: removed (enrol_manual_unenrol_users).
    state            text        NOT NULL CHECK (state IN ('ACTIVE', 'SUSPENDED', 'UNENROLLED')),
    enrolled_at      timestamptz NOT NULL DEFAULT now(),
    changed_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (delegate_id, moodle_course_id)
);

-- Removals an operator confirmed while the removal guard held them (changes.max-removals-per-poll):
-- POST /removals/confirm confirms the cancellations waiting at that moment, and no later ones.
CREATE TABLE removal_confirmation (
    enrolment_id bigint      PRIMARY KEY,    -- moodle_enrolment.id
    confirmed_at timestamptz NOT NULL DEFAULT now()
);
