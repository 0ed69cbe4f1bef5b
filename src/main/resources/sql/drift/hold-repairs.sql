-- The mass-repair guard: when more findings wait to be repaired than drift.max-repairs-per-reconcile (not
-- counting those an operator confirmed), none of them is repaired; they are HELD until an operator confirms
-- (confirm-repairs.sql). Within the limit, held ones are let go too. Answers how many are held.
WITH waiting AS (
    SELECT id FROM drift_finding
    WHERE closed_at IS NULL AND confirmed_at IS NULL AND action IN ('REPAIR', 'HELD')
), decided AS (
    UPDATE drift_finding f
    SET action = CASE WHEN (SELECT count(*) FROM waiting) > CAST(:#${properties:drift.max-repairs-per-reconcile} AS integer)
                      THEN 'HELD' ELSE 'REPAIR' END
    WHERE f.id IN (SELECT id FROM waiting)
    RETURNING f.action
)
SELECT count(*) FILTER (WHERE action = 'HELD') AS held FROM decided
