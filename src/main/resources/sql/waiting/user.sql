-- Users waiting to be created in Moodle (operation "user"): users with no Moodle id who are booked (not
-- cancelled) onto a Moodle course: a classroom or webinar course ticked "Sync to Moodle", or an e-learning course
-- whose template carries a Moodle course id. A user never booked onto a Moodle course never waits.
-- Done (DONE) and dead-lettered (FAILED) users are not waiting; claimed ones (IN_PROGRESS) still are.
-- The one definition: claim-new-users.sql and the backlog metric read it as the view waiting_user.
SELECT u.id
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
