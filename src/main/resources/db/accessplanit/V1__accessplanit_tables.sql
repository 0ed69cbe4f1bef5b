-- The accessplanit tables the integration reads and writes, in the shape it expects.
-- Made only with db.create-accessplanit-tables=true (the tests) or in the demo. On a real accessplanit database these
-- exist already under other names: adapt the SQL files in src/main/resources/sql (sql.location) instead (see README,
-- "Your own accessplanit database").

CREATE TABLE users (
    id         bigint PRIMARY KEY,           -- accessplanit user ID; becomes the Moodle username
    forenames  text,
    surname    text,
    email      text,
    moodle_id  bigint                        -- written back once Moodle created the user
);

CREATE TABLE course_templates (
    id               bigint PRIMARY KEY,
    name             text NOT NULL,
    aims             text,                   -- becomes the Moodle course summary
    moodle_course_id bigint                  -- e-learning: the Moodle course its delegates are enrolled on
);

CREATE TABLE courses (
    id             bigint PRIMARY KEY,       -- accessplanit course ID; becomes the Moodle course ID number
    template_id    bigint NOT NULL REFERENCES course_templates (id),
    label          text NOT NULL,            -- becomes the Moodle course full name
    course_type    text NOT NULL CHECK (course_type IN ('CLASSROOM', 'WEBINAR', 'ELEARNING')),
    start_at       timestamptz,
    end_at         timestamptz,
    sync_to_moodle boolean NOT NULL DEFAULT false,
    moodle_id      bigint                    -- typed in by a user, or written back once Moodle created the course
);

CREATE TABLE delegates (
    id                bigint PRIMARY KEY,    -- a booking of a user on a course
    user_id           bigint NOT NULL REFERENCES users (id),
    course_id         bigint NOT NULL REFERENCES courses (id),
    status            text NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED', 'CANCELLED', 'COMPLETED')),
    score             numeric(10, 2),        -- from Moodle's course total
    completion_status text,                  -- from Moodle's course completion
    completed_at      timestamptz
);

CREATE INDEX delegates_user_id ON delegates (user_id);
CREATE INDEX delegates_course_id ON delegates (course_id);
