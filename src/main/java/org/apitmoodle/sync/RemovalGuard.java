package org.apitmoodle.sync;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the removal guard holds back, for the health check "removal-guard": the cancellations waiting that no
 * operator confirmed. The guard itself is in claim-cancellations.sql (the database decides, for every instance);
 * this bean only keeps the last count the route refresh-sync-statistics read (count-held-removals.sql).
 */
public final class RemovalGuard {

    private final int maxRemovalsPerPoll;
    private volatile long held;
    private volatile Instant checkedAt;

    public RemovalGuard(int maxRemovalsPerPoll) {
        this.maxRemovalsPerPoll = maxRemovalsPerPoll;
    }

    /** The rows of count-held-removals.sql: one, with the column held. */
    public void held(List<Map<String, Object>> rows) {
        held(rows.isEmpty() ? 0 : Records.id(rows.get(0), "held"));
    }

    public void held(long count) {
        held = count;
        checkedAt = Instant.now();
    }

    public long held() {
        return held;
    }

    public Instant checkedAt() {
        return checkedAt;
    }

    public int maxRemovalsPerPoll() {
        return maxRemovalsPerPoll;
    }

    /** Whether the guard stops the cancellations: more wait than one poll may remove. */
    public boolean isHolding() {
        return held > maxRemovalsPerPoll;
    }

    /** Why the guard holds, in one sentence for the health check. */
    public String reason() {
        return held + " enrolments wait to be suspended or unenrolled, more than changes.max-removals-per-poll ("
                + maxRemovalsPerPoll + "): none is removed until an operator checks the cancellations in accessplanit"
                + " and confirms them with POST /removals/confirm on the operators' server";
    }
}
