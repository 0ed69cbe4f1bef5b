-- The reconcile is still at work (after each of its Moodle calls): its lease is renewed, and what it read so far
-- noted.
UPDATE drift_reconcile
SET lease_until = now() + CAST(:#${properties:drift.lease} AS interval),
    accounts = :#${exchangeProperty.reconcile.accounts}, courses = :#${exchangeProperty.reconcile.courses},
    enrolments = :#${exchangeProperty.reconcile.enrolments},
    moodle_calls = :#${exchangeProperty.reconcile.moodleCalls}, findings = :#${exchangeProperty.reconcile.findings}
WHERE id = :#${exchangeProperty.reconcile.id}
