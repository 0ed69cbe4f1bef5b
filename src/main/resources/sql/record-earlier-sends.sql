-- Run at every start: users and courses the integration made before it noted what it sent them (user_sent,
-- course_details_sent) get their note from what accessplanit holds now (user_fields, course_fields), the best the
-- data at hand says; only later changes are sent. Rows already noted are left alone, so running it again changes
-- nothing.
INSERT INTO user_sent (user_id, fields)
SELECT f.user_id, moodle_fields(to_jsonb(f))
FROM sync_state s
JOIN user_fields f ON f.user_id = s.entity_id
JOIN users u ON u.id = f.user_id
WHERE s.entity_type = 'user' AND s.state = 'DONE' AND u.moodle_id IS NOT NULL
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO course_details_sent (course_id, fields)
SELECT f.course_id, moodle_fields(to_jsonb(f)) - 'startdate' - 'enddate'
FROM sync_state s
JOIN course_fields f ON f.course_id = s.entity_id
JOIN courses c ON c.id = f.course_id
WHERE s.entity_type = 'course' AND s.state = 'DONE' AND c.moodle_id IS NOT NULL
ON CONFLICT (course_id) DO NOTHING
