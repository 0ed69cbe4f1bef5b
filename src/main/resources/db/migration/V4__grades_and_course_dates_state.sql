-- The integration's state for the two optional features: scores and completion back from Moodle, and course
-- date changes sent to Moodle.

-- Two more kinds of record in sync_state (and in the dead-letter queue):
--   'grades'       entity_id = delegates.id: a booking whose score and completion could not be read from Moodle.
--   'course-dates' entity_id = courses.id: a course whose changed start and end dates are being (or could not be)
--                  sent to Moodle.
ALTER TABLE sync_state DROP CONSTRAINT sync_state_entity_type_check;
ALTER TABLE sync_state ADD CONSTRAINT sync_state_entity_type_check
    CHECK (entity_type IN ('course', 'user', 'enrolment', 'grades', 'course-dates'));

-- The start and end dates Moodle holds for each synced classroom and webinar course, as Unix seconds (what
-- core_course_update_courses was last sent). A course whose dates differ from these is sent again. The dates are
-- written from what was sent, not re-read from the course, so a change made while a push is in flight differs
-- from them and is sent by the next poll.
-- NULL start: Moodle's dates are not known (a course the integration created before this table noted it), so
-- the course's dates are sent once.
CREATE TABLE course_dates (
    course_id        bigint      PRIMARY KEY,   -- courses.id
    pushed_startdate bigint,
    pushed_enddate   bigint,                    -- NULL: no end date (Moodle's 0)
    noted_at         timestamptz NOT NULL DEFAULT now(),
    pushed_at        timestamptz                -- the last successful core_course_update_courses for the course
);
