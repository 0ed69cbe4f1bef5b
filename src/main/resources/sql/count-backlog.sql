-- The backlog for the metric apit_sync_backlog: per entity type, the records the sync routes would claim
-- (the same conditions as claim-new-*.sql, without page or lock) plus those claimed and not finished yet.
-- Done and dead-lettered (FAILED) records are not waiting. Keep in step with the claim statements.
SELECT 'course' AS entity_type, count(*) AS waiting
FROM courses c
JOIN course_templates t ON t.id = c.template_id
LEFT JOIN sync_state s ON s.entity_type = 'course' AND s.entity_id = c.id
WHERE c.sync_to_moodle
  AND c.moodle_id IS NULL
  AND (c.course_type IN ('CLASSROOM', 'WEBINAR')
       OR (c.course_type = 'ELEARNING' AND t.moodle_course_id IS NULL))
  AND (s.state IS NULL OR s.state = 'IN_PROGRESS')
UNION ALL
SELECT 'user', count(*)
FROM users u
LEFT JOIN sync_state s ON s.entity_type = 'user' AND s.entity_id = u.id
WHERE u.moodle_id IS NULL
  AND (s.state IS NULL OR s.state = 'IN_PROGRESS')
  AND EXISTS (
      SELECT 1
      FROM delegates d
      JOIN courses c ON c.id = d.course_id
      JOIN course_templates t ON t.id = c.template_id
      WHERE d.user_id = u.id
        AND d.status <> 'CANCELLED'
        AND ((c.course_type IN ('CLASSROOM', 'WEBINAR') AND c.sync_to_moodle)
             OR (c.course_type = 'ELEARNING' AND t.moodle_course_id IS NOT NULL)))
UNION ALL
SELECT 'enrolment', count(*)
FROM delegates d
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
LEFT JOIN sync_state s ON s.entity_type = 'enrolment' AND s.entity_id = d.id
WHERE d.status <> 'CANCELLED'
  AND u.moodle_id IS NOT NULL
  AND ((c.course_type IN ('CLASSROOM', 'WEBINAR') AND c.sync_to_moodle AND c.moodle_id IS NOT NULL)
       OR (c.course_type = 'ELEARNING' AND t.moodle_course_id IS NOT NULL))
  AND (s.state IS NULL OR s.state = 'IN_PROGRESS')
