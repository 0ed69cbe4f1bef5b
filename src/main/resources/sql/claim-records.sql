-- The claim every operation's claim SQL makes (claim-*.sql), written once. Made at every start (WaitingViews), in the
-- integration's schema, beside the view live_claim it reads.
-- Takes the page of records a claim SQL selected (and locked), marks them IN_PROGRESS for this instance, and
-- answers the ids it claimed with how many times each has been claimed. A record is taken when it has no state yet,
-- when its claim no longer holds (not in live_claim: its instance died or was restarted, or the lease ran out), or,
-- with retake_done, when it was DONE and waits again (an enrolment moved to another course, a course's changed
-- dates, a change to send again). Operations that create (courses, users) never retake DONE: another instance may
-- have just finished the record. Claiming notes this instance alive (sync_instance), as its timer does while its
-- calls run. (In a dry run it claims as always, and the claim is rolled back: a dry run's connections never
-- commit.)
-- The claim once took a dry-run flag; that form is dropped.
DROP FUNCTION IF EXISTS claim_records(text, bigint[], text, interval, boolean, boolean);
CREATE OR REPLACE FUNCTION claim_records(p_entity_type text, p_ids bigint[], p_instance text, p_lease interval,
                                         p_retake_done boolean)
RETURNS TABLE (claimed_id bigint, claims integer)
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(p_ids) > 0 THEN
        INSERT INTO sync_instance AS i (instance_id, heartbeat_at) VALUES (p_instance, now())
        ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now();
    END IF;
    RETURN QUERY
    INSERT INTO sync_state AS s (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT p_entity_type, id, 'IN_PROGRESS', p_instance, now() + p_lease, 1 FROM unnest(p_ids) AS id
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = s.attempts + 1, updated_at = now()
        WHERE (p_retake_done AND s.state = 'DONE')
           OR (s.state = 'IN_PROGRESS' AND NOT EXISTS (SELECT 1 FROM live_claim l
                                                       WHERE l.entity_type = s.entity_type
                                                         AND l.entity_id = s.entity_id))
    RETURNING s.entity_id, s.attempts;
END
$$
