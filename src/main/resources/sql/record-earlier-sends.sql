-- Run at every start: users and courses the integration made before it noted what it sent them (user_sent,
-- course_details_sent) get their note from what accessplanit holds now, the best the data at hand says; only
-- later changes are sent. Rows already noted are left alone, so running it again changes nothing.
INSERT INTO user_sent (user_id, firstname, lastname, email)
SELECT u.id, u.forenames, u.surname, u.email
FROM sync_state s
JOIN users u ON u.id = s.entity_id
WHERE s.entity_type = 'user' AND s.state = 'DONE' AND u.moodle_id IS NOT NULL
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO course_details_sent (course_id, fullname, summary)
SELECT c.id, c.label, t.aims
FROM sync_state s
JOIN courses c ON c.id = s.entity_id
JOIN course_templates t ON t.id = c.template_id
WHERE s.entity_type = 'course' AND s.state = 'DONE' AND c.moodle_id IS NOT NULL
ON CONFLICT (course_id) DO NOTHING
