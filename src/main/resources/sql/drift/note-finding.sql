-- Notes one finding: a new one opens a row; one already open is seen again (last seen by this reconcile, its
-- sentence and action as now; one the mass-repair guard holds stays held). An enrolment's finding is noted only
-- while its record is as it was read and no operation holds it: what an operation did meanwhile is not drift.
INSERT INTO drift_finding (kind, key, subject, detail, enrolment_id, delegate_id, user_id, course_id, moodle_user_id,
                           moodle_course_id, record_state, last_seen_run, action)
SELECT :#kind, :#key, :#subject, :#detail, CAST(:#enrolment_id AS bigint), CAST(:#delegate_id AS bigint),
       CAST(:#user_id AS bigint), CAST(:#course_id AS bigint), CAST(:#moodle_user_id AS bigint),
       CAST(:#moodle_course_id AS bigint), CAST(:#record_state AS text), CAST(:#run_id AS bigint), :#action
WHERE CAST(:#enrolment_id AS bigint) IS NULL
   OR (EXISTS (SELECT 1 FROM moodle_enrolment e
               WHERE e.id = CAST(:#enrolment_id AS bigint) AND e.state = CAST(:#record_state AS text)
                 AND e.changed_at <= CAST(:#read_at AS timestamptz))
       AND NOT EXISTS (SELECT 1 FROM live_claim l
                       WHERE (l.entity_type IN ('cancellation', 'reactivation')
                              AND l.entity_id = CAST(:#enrolment_id AS bigint))
                          OR (l.entity_type = 'enrolment' AND l.entity_id = CAST(:#delegate_id AS bigint))))
ON CONFLICT (key) WHERE closed_at IS NULL DO UPDATE
SET last_seen_at = now(), last_seen_run = EXCLUDED.last_seen_run, subject = EXCLUDED.subject,
    detail = EXCLUDED.detail, record_state = EXCLUDED.record_state,
    action = CASE WHEN drift_finding.action = 'HELD' AND EXCLUDED.action = 'REPAIR' THEN 'HELD'
                  ELSE EXCLUDED.action END
