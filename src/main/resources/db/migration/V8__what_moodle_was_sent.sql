-- What Moodle was last sent for the people and courses the integration made, per field, so a change in
-- accessplanit sends only the fields that changed (what a learner or an administrator changed in Moodle in the
-- other fields is never overwritten).

-- Two more kinds of record in sync_state (and in the dead-letter queue):
--   'user-update'     entity_id = users.id: a user whose changed names or email are being (or could not be) sent;
--   'course-details'  entity_id = courses.id: a course whose changed label or template aims are being (or could
--                     not be) sent.
ALTER TABLE sync_state DROP CONSTRAINT sync_state_entity_type_check;
ALTER TABLE sync_state ADD CONSTRAINT sync_state_entity_type_check
    CHECK (entity_type IN ('course', 'user', 'enrolment', 'grades', 'course-dates', 'cancellation', 'reactivation',
                           'user-update', 'course-details'));

-- Per user with a Moodle id: the firstname, lastname and email Moodle was last sent (at creation or update).
CREATE TABLE user_sent (
    user_id   bigint      PRIMARY KEY,   -- users.id
    firstname text,
    lastname  text,
    email     text,
    sent_at   timestamptz NOT NULL DEFAULT now()
);

-- Per course the integration created: the fullname and summary Moodle was last sent.
CREATE TABLE course_details_sent (
    course_id bigint      PRIMARY KEY,   -- courses.id
    fullname  text,
    summary   text,
    sent_at   timestamptz NOT NULL DEFAULT now()
);
