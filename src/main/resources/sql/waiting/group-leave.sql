-- Enrolments whose learner was put in the group of the date the booking moved to, waiting to be taken out of the
-- old date's group (operation "group-leave"): the new group first. Done (DONE) is no end state; dead-lettered ones
-- (FAILED) wait for an operator.
-- The one definition: claim-group-leaves.sql and the backlog metric read it as the view waiting_group_leave.
SELECT m.enrolment_id AS id
FROM group_member m
LEFT JOIN sync_state s ON s.entity_type = 'group-leave' AND s.entity_id = m.enrolment_id
WHERE m.left_group_id IS NOT NULL
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
