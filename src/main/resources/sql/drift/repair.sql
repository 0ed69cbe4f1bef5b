-- Repairs the findings due (action REPAIR) by changing the integration's record, so the operation that owns it does
-- the work with its guarantees (claims, look-up before sending, never twice). Nothing here calls Moodle. Each repair
-- applies only while the record is still as found; a finding repaired is closed, one that could not be stays open.
WITH due AS (
    SELECT * FROM drift_finding WHERE closed_at IS NULL AND action = 'REPAIR' FOR UPDATE SKIP LOCKED
), enrolment_missing AS (
    -- The booking waits for the enrolment operation again (waiting/enrolment.sql: no active or suspended record
    -- on its Moodle course), which asks Moodle first whether the learner is enrolled.
    UPDATE moodle_enrolment e SET state = 'UNENROLLED', changed_at = now()
    FROM due f
    WHERE f.kind = 'enrolment-missing' AND e.id = f.enrolment_id AND e.state = f.record_state
    RETURNING f.id
), enrolment_suspended AS (
    -- The record says suspended: the re-activation operation makes it active while the booking is active.
    UPDATE moodle_enrolment e SET state = 'SUSPENDED', changed_at = now()
    FROM due f
    WHERE f.kind = 'enrolment-suspended' AND e.id = f.enrolment_id AND e.state = 'ACTIVE'
    RETURNING f.id
), enrolment_reactivated AS (
    -- The record says active: the cancellation operation suspends (or unenrols) it again, within the removal guard.
    UPDATE moodle_enrolment e SET state = 'ACTIVE', changed_at = now()
    FROM due f
    WHERE f.kind = 'enrolment-reactivated' AND e.id = f.enrolment_id AND e.state = 'SUSPENDED'
    RETURNING f.id
), account AS (
    -- The Moodle id is cleared: the user operation looks the account up by username (a restored one is adopted)
    -- or makes a new one, and writes its id back; the enrolments follow.
    UPDATE users u SET moodle_id = NULL
    FROM due f
    WHERE f.kind IN ('account-deleted', 'account-replaced') AND u.id = f.user_id AND u.moodle_id = f.moodle_user_id
    RETURNING f.id, u.id AS user_id, f.moodle_user_id
), account_claims AS (
    DELETE FROM sync_state s USING account a
    WHERE s.entity_type IN ('user', 'user-update') AND s.entity_id = a.user_id
), account_sent AS (
    DELETE FROM user_sent s USING account a WHERE s.user_id = a.user_id
), account_enrolments AS (
    UPDATE moodle_enrolment e SET state = 'UNENROLLED', changed_at = now()
    FROM account a
    WHERE e.moodle_user_id = a.moodle_user_id AND e.state <> 'UNENROLLED'
), course AS (
    -- Only a course the integration created: its Moodle id is cleared, and the course operation looks it up by
    -- ID number (a course restored from a backup is adopted) or makes it again; the enrolments follow. A Moodle
    -- ID typed in accessplanit is never cleared.
    UPDATE courses c SET moodle_id = NULL
    FROM due f
    WHERE f.kind IN ('course-deleted', 'course-replaced') AND f.course_id IS NOT NULL
      AND c.moodle_id = f.moodle_course_id
      AND EXISTS (SELECT 1 FROM sync_state s WHERE s.entity_type = 'course' AND s.entity_id = c.id AND s.state = 'DONE')
    RETURNING f.id, c.id AS course_id, f.moodle_course_id
), course_claims AS (
    DELETE FROM sync_state s USING course k
    WHERE s.entity_type IN ('course', 'course-dates', 'course-details') AND s.entity_id = k.course_id
), course_dates_sent AS (
    DELETE FROM course_dates x USING course k WHERE x.course_id = k.course_id
), course_details_sent AS (
    DELETE FROM course_details_sent x USING course k WHERE x.course_id = k.course_id
), course_enrolments AS (
    UPDATE moodle_enrolment e SET state = 'UNENROLLED', changed_at = now()
    FROM course k
    WHERE e.moodle_course_id = k.moodle_course_id AND e.state <> 'UNENROLLED'
), repaired AS (
    SELECT id FROM enrolment_missing
    UNION SELECT id FROM enrolment_suspended
    UNION SELECT id FROM enrolment_reactivated
    UNION SELECT id FROM account
    UNION SELECT id FROM course
)
UPDATE drift_finding f
SET action = CASE WHEN r.id IS NOT NULL THEN 'REPAIRED' ELSE 'NOT_REPAIRED' END,
    closed_at = CASE WHEN r.id IS NOT NULL THEN now() END,
    outcome = CASE
        WHEN r.id IS NULL AND f.kind IN ('course-deleted', 'course-replaced') AND f.course_id IS NULL
            THEN 'Not repaired: its Moodle ID was typed in accessplanit (or is the e-learning template''s). Type the'
                 || ' right one there, or restore the course in Moodle.'
        WHEN r.id IS NULL THEN 'Not repaired: the record changed since it was found; the next reconcile looks again.'
        WHEN f.kind = 'enrolment-missing' THEN 'Repaired: the learner is enrolled again by the enrolment operation.'
        WHEN f.kind = 'enrolment-suspended' THEN 'Repaired: the enrolment is made active again by the re-activation operation.'
        WHEN f.kind = 'enrolment-reactivated' THEN 'Repaired: the enrolment is suspended again by the cancellation operation.'
        WHEN f.kind IN ('account-deleted', 'account-replaced')
            THEN 'Repaired: the Moodle ID was cleared; the account is found again by username or made again, and its'
                 || ' enrolments follow.'
        ELSE 'Repaired: the Moodle ID was cleared; the course is found again by ID number or made again, and its'
             || ' enrolments follow.'
    END
FROM due d
LEFT JOIN repaired r ON r.id = d.id
WHERE f.id = d.id
RETURNING f.id, f.kind, f.action
