-- One dead-letter entry, whatever its state.
SELECT id, entity_type, entity_id, moodle_function, CAST(moodle_params AS text) AS moodle_params,
       error_class, error_code, error_message, attempts, first_failed_at, last_failed_at, state, discard_reason
FROM dead_letter
WHERE id = :#id
