-- Claims a page of the suspended enrolments whose booking is active again (waiting/reactivation.sql: the view
-- waiting_reactivation) for this instance, and returns the Moodle user and course of each.
WITH waiting AS (
    SELECT e.id
    FROM waiting_reactivation w
    JOIN moodle_enrolment e ON e.id = w.id
    -- Not held by a live claim (a claim whose lease ran out, left by a killed instance, is taken over).
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s
                      WHERE s.entity_type = 'reactivation' AND s.entity_id = e.id
                        AND s.state = 'IN_PROGRESS' AND s.lease_until >= now())
    ORDER BY e.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF e SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'reactivation', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'DONE' OR (sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now())
    RETURNING entity_id
)
SELECT e.id               AS enrolment_id,
       e.delegate_id      AS delegate_id,
       e.moodle_user_id   AS moodle_user_id,
       e.moodle_course_id AS moodle_course_id
FROM claimed
JOIN moodle_enrolment e ON e.id = claimed.entity_id
ORDER BY e.id
