-- Remembers whether a Moodle course has completion criteria (what its delegates' completion answers said), so the
-- next polls ask its delegates' completion only if it has (see V6__grade_poll_state.sql).
INSERT INTO course_completion (moodle_course_id, has_completion, checked_at)
VALUES (:#moodle_course_id, :#has_completion, now())
ON CONFLICT (moodle_course_id) DO UPDATE SET has_completion = EXCLUDED.has_completion, checked_at = now()
