-- Courses (dates) on a shared Moodle course with a booking the integration enrolled there, waiting for their Moodle
-- group (operation "group"; none while changes.groups is false). Made once the first enrolment is (a Moodle course
-- that refuses enrolments gets no group either). A Moodle course is shared when it is an e-learning template's, or when several
-- accessplanit courses point at it. Done (DONE) ones have their group (course_group); dead-lettered ones (FAILED)
-- wait for an operator.
-- The one definition: claim-groups.sql and the backlog metric read it as the view waiting_group.
WITH target AS (
    SELECT c.id, c.course_type,
           CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id
                WHEN c.sync_to_moodle THEN c.moodle_id END AS moodle_course_id
    FROM courses c
    JOIN course_templates t ON t.id = c.template_id
)
SELECT c.id
FROM target c
LEFT JOIN sync_state s ON s.entity_type = 'group' AND s.entity_id = c.id
WHERE c.moodle_course_id IS NOT NULL
  AND '{{changes.groups}}' = 'true'
  AND (c.course_type = 'ELEARNING'
       OR EXISTS (SELECT 1 FROM target o WHERE o.id <> c.id AND o.moodle_course_id = c.moodle_course_id))
  AND EXISTS (SELECT 1 FROM delegates d
              JOIN moodle_enrolment e ON e.delegate_id = d.id AND e.moodle_course_id = c.moodle_course_id
              WHERE d.course_id = c.id AND d.status <> 'CANCELLED' AND e.state = 'ACTIVE')
  AND NOT EXISTS (SELECT 1 FROM course_group g WHERE g.course_id = c.id AND g.moodle_course_id = c.moodle_course_id)
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
