-- Claims a page of the enrolments waiting to be suspended or unenrolled (waiting/cancellation.sql: the view
-- waiting_cancellation) for this instance, and returns the Moodle user and course of each.
-- The removal guard: when more than changes.max-removals-per-poll wait (not counting those already claimed),
-- none is claimed but those an operator confirmed (removal_confirmation, POST /removals/confirm). A faulty import
-- that cancels every booking must not empty Moodle.
WITH held AS (
    SELECT count(*) AS waiting
    FROM waiting_cancellation w
    WHERE NOT EXISTS (SELECT 1 FROM removal_confirmation r WHERE r.enrolment_id = w.id)
      AND NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'cancellation' AND l.entity_id = w.id)
), waiting AS (
    SELECT e.id
    FROM waiting_cancellation w
    JOIN moodle_enrolment e ON e.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'cancellation' AND l.entity_id = e.id)
      AND ((SELECT waiting FROM held) <= CAST(:#${properties:changes.max-removals-per-poll} AS integer)
           OR EXISTS (SELECT 1 FROM removal_confirmation r WHERE r.enrolment_id = e.id))
    ORDER BY e.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF e SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('cancellation', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), true)
)
SELECT e.id               AS enrolment_id,
       e.delegate_id      AS delegate_id,
       e.moodle_user_id   AS moodle_user_id,
       e.moodle_course_id AS moodle_course_id
FROM claimed
JOIN moodle_enrolment e ON e.id = claimed.entity_id
ORDER BY e.id
