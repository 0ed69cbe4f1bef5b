-- The integration's enrolments on one Moodle course that are at rest: active or suspended in its record, and not
-- in the hands of an operation right now (no live claim of their cancellation, re-activation or booking), so what
-- an operation is sending is never read as drift. read_at: when the record was read; a finding is noted only if
-- the record did not change since (note-finding.sql). booking_active: the booking is there and not cancelled.
SELECT e.id AS enrolment_id, e.delegate_id, e.moodle_user_id, e.state AS record_state,
       d.user_id, u.forenames, u.surname, u.email,
       (d.id IS NOT NULL AND d.status <> 'CANCELLED') AS booking_active,
       now() AS read_at
FROM moodle_enrolment e
LEFT JOIN delegates d ON d.id = e.delegate_id
LEFT JOIN users u ON u.id = d.user_id
WHERE e.moodle_course_id = :#${exchangeProperty.course.moodleCourseId}
  AND e.state IN ('ACTIVE', 'SUSPENDED')
  AND NOT EXISTS (SELECT 1 FROM live_claim l
                  WHERE l.entity_type IN ('cancellation', 'reactivation') AND l.entity_id = e.id)
  AND NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'enrolment' AND l.entity_id = e.delegate_id)
ORDER BY e.moodle_user_id
