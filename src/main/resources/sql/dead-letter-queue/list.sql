-- Dead-letter entries in one state, of one entity type and one error code when given, oldest first.
-- At most dead-letters.list-limit of them, so a huge queue cannot exhaust memory; group_size and group_last_id
-- count the whole cause (entity type and error code) within the filter, also past the limit.
-- Each entry names its record from the accessplanit tables: what entity_id is depends on the operation
-- (Operation.idColumn; the bean passes each kind's entity types as a comma-separated list). A record whose row is
-- gone has no names, only its id.
SELECT d.id, d.entity_type, d.entity_id, d.moodle_function, CAST(d.moodle_params AS text) AS moodle_params,
       d.error_class, d.error_code, d.error_message, d.attempts, d.first_failed_at, d.last_failed_at, d.state,
       d.discard_reason,
       u.forenames AS user_forenames, u.surname AS user_surname, u.email AS user_email,
       c.label AS course_label, c.start_at AS course_start_at,
       count(*) OVER (PARTITION BY d.entity_type, d.error_code) AS group_size,
       max(d.id) OVER (PARTITION BY d.entity_type, d.error_code) AS group_last_id
FROM dead_letter d
LEFT JOIN moodle_enrolment e
       ON d.entity_type = ANY (string_to_array(:#enrolment_types, ',')) AND e.id = d.entity_id
LEFT JOIN delegates b
       ON b.id = CASE WHEN d.entity_type = ANY (string_to_array(:#booking_types, ',')) THEN d.entity_id
                      ELSE e.delegate_id END
LEFT JOIN users u
       ON u.id = CASE WHEN d.entity_type = ANY (string_to_array(:#user_types, ',')) THEN d.entity_id
                      ELSE b.user_id END
LEFT JOIN courses c
       ON c.id = CASE WHEN d.entity_type = ANY (string_to_array(:#course_types, ',')) THEN d.entity_id
                      ELSE coalesce(b.course_id, e.course_id) END
WHERE d.state = :#state
  AND (CAST(:#entity_type AS text) IS NULL OR d.entity_type = :#entity_type)
  AND (CAST(:#error_code AS text) IS NULL OR d.error_code = :#error_code)
ORDER BY d.id
LIMIT CAST(:#${properties:dead-letters.list-limit} AS integer)
