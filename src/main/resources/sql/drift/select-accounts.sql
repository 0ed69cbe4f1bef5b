-- The next page of users whose written-back Moodle id the integration relies on: those with an enrolment it made
-- that is active or suspended, and those it created (or adopted). Keyset order by user, so memory stays flat.
SELECT u.id AS user_id, u.moodle_id AS moodle_user_id, u.forenames, u.surname, u.email
FROM users u
WHERE u.moodle_id IS NOT NULL
  AND u.id > :#${exchangeProperty.reconcile.lastUserId}
  AND (EXISTS (SELECT 1 FROM moodle_enrolment e
               WHERE e.moodle_user_id = u.moodle_id AND e.state IN ('ACTIVE', 'SUSPENDED'))
       OR EXISTS (SELECT 1 FROM sync_state s
                  WHERE s.entity_type = 'user' AND s.entity_id = u.id AND s.state = 'DONE'))
ORDER BY u.id
LIMIT CAST(:#${properties:drift.page-size} AS integer)
