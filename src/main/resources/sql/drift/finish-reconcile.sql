-- The reconcile ended (header driftState): DONE when everything was compared, STOPPED when Moodle could not be
-- read, with why (header driftNote).
UPDATE drift_reconcile
SET state = :#${header.driftState}, finished_at = now(), note = CAST(:#${header.driftNote} AS text),
    accounts = :#${exchangeProperty.reconcile.accounts}, courses = :#${exchangeProperty.reconcile.courses},
    enrolments = :#${exchangeProperty.reconcile.enrolments},
    moodle_calls = :#${exchangeProperty.reconcile.moodleCalls}, findings = :#${exchangeProperty.reconcile.findings}
WHERE id = :#${exchangeProperty.reconcile.id}
