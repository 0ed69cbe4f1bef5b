-- Enrolments the integration made that wait to be suspended or unenrolled (operation "cancellation", action
-- changes.cancelled-booking; nothing waits under keep): active ones (moodle_enrolment) whose booking was cancelled
-- or deleted, or moved to another Moodle course once its enrolment there is made (the new one first, so a moved
-- learner is never left without access). A booking moved between dates sharing one Moodle course (an e-learning
-- template's) points at the same Moodle course: nothing waits. Done (DONE) is no end state: an enrolment
-- re-activated since waits again. Dead-lettered ones (FAILED) wait for an operator.
-- The one definition: claim-cancellations.sql, the removal guard and the backlog metric read it as the view
-- waiting_cancellation.
SELECT e.id
FROM moodle_enrolment e
LEFT JOIN delegates d ON d.id = e.delegate_id
LEFT JOIN courses c ON c.id = d.course_id
LEFT JOIN course_templates t ON t.id = c.template_id
LEFT JOIN sync_state s ON s.entity_type = 'cancellation' AND s.entity_id = e.id
WHERE e.state = 'ACTIVE'
  AND lower(trim('{{changes.cancelled-booking}}')) <> 'keep'
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
  AND (d.id IS NULL
       OR d.status = 'CANCELLED'
       OR (e.moodle_course_id IS DISTINCT FROM
               CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id
                    WHEN c.sync_to_moodle THEN c.moodle_id END
           AND CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id
                    WHEN c.sync_to_moodle THEN c.moodle_id END IS NOT NULL
           AND EXISTS (SELECT 1 FROM moodle_enrolment n
                       WHERE n.delegate_id = e.delegate_id AND n.state = 'ACTIVE'
                         AND n.moodle_course_id = CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id
                                                       ELSE c.moodle_id END))
       -- Moved to a course that will never be in Moodle (not ticked, or an e-learning template without one).
       -- (Unticking "Sync to Moodle" on the same course removes nobody.)
       OR (d.course_id IS DISTINCT FROM e.course_id
           AND ((c.course_type = 'ELEARNING' AND t.moodle_course_id IS NULL)
                OR (c.course_type IN ('CLASSROOM', 'WEBINAR') AND NOT c.sync_to_moodle))))
