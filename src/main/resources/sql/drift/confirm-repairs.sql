-- An operator confirms the repairs the mass-repair guard holds (POST /drift/confirm-repairs): those held now, and
-- none found later, are repaired at once (repair.sql).
UPDATE drift_finding
SET action = 'REPAIR', confirmed_at = now(), confirmed_by = :#${exchangeProperty.operator}
WHERE closed_at IS NULL AND action = 'HELD'
