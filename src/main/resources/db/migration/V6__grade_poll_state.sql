-- What the grade poll learnt about each Moodle course it reads: whether the course has completion criteria. A course
-- without (Moodle answered nocriteriaset or cannotviewreport) is not asked about its delegates' completion again
-- until the answer is older than grades.completion-recheck; a course with criteria is asked for each delegate.
CREATE TABLE course_completion (
    moodle_course_id bigint      PRIMARY KEY,
    has_completion   boolean     NOT NULL,
    checked_at       timestamptz NOT NULL DEFAULT now()   -- when Moodle last said so
);
