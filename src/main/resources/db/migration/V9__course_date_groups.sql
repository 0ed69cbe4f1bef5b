-- A Moodle group per accessplanit course (date) on a shared Moodle course (an e-learning template's course, or one
-- Moodle id typed into several dated courses), and which group each enrolment the integration made is in.

-- Three more kinds of record in sync_state (and in the dead-letter queue):
--   'group'         entity_id = courses.id: the course's group being (or that could not be) made in Moodle;
--   'group-member'  entity_id = moodle_enrolment.id: the learner being (or that could not be) put in the group of
--                   the course the booking is on;
--   'group-leave'   entity_id = moodle_enrolment.id: the learner being (or that could not be) taken out of the
--                   group of the course the booking moved away from.
ALTER TABLE sync_state DROP CONSTRAINT sync_state_entity_type_check;
ALTER TABLE sync_state ADD CONSTRAINT sync_state_entity_type_check
    CHECK (entity_type IN ('course', 'user', 'enrolment', 'grades', 'course-dates', 'cancellation', 'reactivation',
                           'user-update', 'course-details', 'group', 'group-member', 'group-leave'));

-- The Moodle group of each accessplanit course on a shared Moodle course (made, or adopted by its idnumber).
CREATE TABLE course_group (
    course_id        bigint      PRIMARY KEY,   -- courses.id
    moodle_course_id bigint      NOT NULL,
    moodle_group_id  bigint      NOT NULL,
    noted_at         timestamptz NOT NULL DEFAULT now()
);

-- The group an enrolment the integration made was put in; left_group_id: a group it is still to be taken out of
-- (the booking moved to another date of the same Moodle course).
CREATE TABLE group_member (
    enrolment_id    bigint      PRIMARY KEY,    -- moodle_enrolment.id
    moodle_group_id bigint      NOT NULL,
    left_group_id   bigint,
    changed_at      timestamptz NOT NULL DEFAULT now()
);
