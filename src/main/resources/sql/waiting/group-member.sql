-- Active enrolments the integration made whose booking's course has a group on that Moodle course
-- (course_group), and which are not in it yet (operation "group-member"; none while changes.groups is false).
-- The enrolment is made first: Moodle takes only enrolled users into a group. Done (DONE) is no end state: a
-- booking moved to another date of the same Moodle course waits again. Dead-lettered ones (FAILED) wait.
-- The one definition: claim-group-members.sql and the backlog metric read it as the view waiting_group_member.
SELECT e.id
FROM moodle_enrolment e
JOIN delegates d ON d.id = e.delegate_id
JOIN course_group g ON g.course_id = d.course_id AND g.moodle_course_id = e.moodle_course_id
LEFT JOIN group_member m ON m.enrolment_id = e.id
LEFT JOIN sync_state s ON s.entity_type = 'group-member' AND s.entity_id = e.id
WHERE e.state = 'ACTIVE'
  AND d.status <> 'CANCELLED'
  AND '{{changes.groups}}' = 'true'
  AND m.moodle_group_id IS DISTINCT FROM g.moodle_group_id
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
