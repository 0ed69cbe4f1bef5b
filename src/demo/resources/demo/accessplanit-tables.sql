-- The accessplanit tables the integration reads and writes, in the shape its SQL (src/main/resources/sql) expects,
-- in the schema public, as a customer's accessplanit database has them. For the demo and the tests only: they run it
-- on a freshly created, empty database before the application starts. The integration itself never creates or
-- alters these tables. On a real accessplanit database they exist already, perhaps under other names: adapt the SQL
-- files instead (sql.location; see README, "Your own accessplanit database").

CREATE TABLE public.users (
    id         bigint PRIMARY KEY,           -- accessplanit user ID; becomes the Moodle username
    forenames  text,
    surname    text,
    email      text,
    moodle_id  bigint                        -- written back once Moodle created the user
);

CREATE TABLE public.course_templates (
    id               bigint PRIMARY KEY,
    name             text NOT NULL,
    aims             text,                   -- becomes the Moodle course summary
    moodle_course_id bigint                  -- e-learning: the Moodle course its delegates are enrolled on
);

CREATE TABLE public.courses (
    id             bigint PRIMARY KEY,       -- accessplanit course ID; becomes the Moodle course ID number
    template_id    bigint NOT NULL REFERENCES public.course_templates (id),
    label          text NOT NULL,            -- becomes the Moodle course full name
    course_type    text NOT NULL CHECK (course_type IN ('CLASSROOM', 'WEBINAR', 'ELEARNING')),
    start_at       timestamptz,
    end_at         timestamptz,
    sync_to_moodle boolean NOT NULL DEFAULT false,
    moodle_id      bigint                    -- typed in by a user, or written back once Moodle created the course
);

CREATE TABLE public.delegates (
    id                bigint PRIMARY KEY,    -- a booking of a user on a course
    user_id           bigint NOT NULL REFERENCES public.users (id),
    course_id         bigint NOT NULL REFERENCES public.courses (id),
    status            text NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED', 'CANCELLED', 'COMPLETED')),
    score             numeric(10, 2),        -- from Moodle's course total
    completion_status text,                  -- from Moodle's course completion
    completed_at      timestamptz
);

CREATE INDEX delegates_user_id ON public.delegates (user_id);
CREATE INDEX delegates_course_id ON public.delegates (course_id);
