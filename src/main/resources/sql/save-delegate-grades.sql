-- Writes what Moodle holds for a delegate: score (the course total), completion_status (COMPLETE, INCOMPLETE,
-- or NULL when the course has no completion) and completed_at, and marks a delegate who completed the course
-- COMPLETED. A value Moodle did not give (score_read / completion_read false) is left as it is.
-- The row is written only when something changed, so an unchanged score costs no write.
WITH from_moodle AS (
    SELECT d.id,
           CASE WHEN CAST(:#score_read AS boolean) THEN CAST(CAST(:#score AS numeric) AS numeric(10, 2))
                ELSE d.score END AS score,
           CASE WHEN CAST(:#completion_read AS boolean) THEN CAST(:#completion_status AS text)
                ELSE d.completion_status END AS completion_status,
           CASE WHEN CAST(:#completion_read AS boolean) THEN to_timestamp(CAST(:#completed_at AS bigint))
                ELSE d.completed_at END AS completed_at
    FROM delegates d
    WHERE d.id = :#delegate_id
)
UPDATE delegates d
SET score = from_moodle.score,
    completion_status = from_moodle.completion_status,
    completed_at = from_moodle.completed_at,
    status = CASE WHEN from_moodle.completion_status = 'COMPLETE' AND d.status = 'BOOKED'
                       AND d.completion_status IS DISTINCT FROM 'COMPLETE'
                  THEN 'COMPLETED' ELSE d.status END
FROM from_moodle
WHERE d.id = from_moodle.id
  AND (d.score, d.completion_status, d.completed_at)
      IS DISTINCT FROM (from_moodle.score, from_moodle.completion_status, from_moodle.completed_at)
