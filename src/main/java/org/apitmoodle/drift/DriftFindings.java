package org.apitmoodle.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the reconcile found, as last read from drift_finding and drift_reconcile (route refresh-drift-findings, every
 * ops.refresh-period-ms): the open findings per kind (the metric apit_drift_findings_open), how many the mass-repair
 * guard holds, the latest open ones and the last reconcile, for the status page, which never queries the database.
 */
public final class DriftFindings {

    /** One open finding, named as people know it. */
    public record Finding(long id, String kind, String title, String subject, String detail, Instant foundAt,
            Instant lastSeenAt, String action, String outcome) {
    }

    /** The latest reconcile. */
    public record Reconcile(long id, String state, Instant startedAt, Instant finishedAt, long accounts, long courses,
            long enrolments, long moodleCalls, long findings, String note) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile Map<DriftKind, Long> open = Collections.unmodifiableMap(new EnumMap<>(DriftKind.class));
    private volatile long held;
    private volatile List<Finding> latest = List.of();
    private volatile Reconcile last;

    /** sql/drift/count-findings.sql: kind, open, held. */
    public void counts(List<Map<String, Object>> rows) {
        Map<DriftKind, Long> counts = new EnumMap<>(DriftKind.class);
        long heldNow = 0;
        for (Map<String, Object> row : rows) {
            DriftKind kind = DriftKind.of(String.valueOf(row.get("kind")));
            if (kind != null) {
                counts.put(kind, number(row.get("open")));
                heldNow += number(row.get("held"));
            }
        }
        open = Collections.unmodifiableMap(counts);
        held = heldNow;
    }

    /** sql/drift/list-findings.sql. */
    public void latest(List<Map<String, Object>> rows) {
        List<Finding> findings = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            findings.add(finding(row));
        }
        latest = List.copyOf(findings);
    }

    /** sql/drift/last-reconcile.sql: one row, or none before the first reconcile. */
    public void lastReconcile(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            last = null;
            return;
        }
        Map<String, Object> row = rows.get(0);
        last = new Reconcile(number(row.get("id")), String.valueOf(row.get("state")), instant(row.get("started_at")),
                instant(row.get("finished_at")), number(row.get("accounts")), number(row.get("courses")),
                number(row.get("enrolments")), number(row.get("moodle_calls")), number(row.get("findings")),
                row.get("note") == null ? null : row.get("note").toString());
    }

    /** The open findings of this kind, as last read. */
    public long open(DriftKind kind) {
        return open.getOrDefault(kind, 0L);
    }

    public long openTotal() {
        return open.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The repairs the mass-repair guard holds until an operator confirms them. */
    public long held() {
        return held;
    }

    public List<Finding> latest() {
        return latest;
    }

    public Reconcile last() {
        return last;
    }

    /** Whether the last reconcile read is still running. */
    public boolean isRunning() {
        Reconcile r = last;
        return r != null && r.state().equals("RUNNING");
    }

    /** GET /drift/findings: {"open": {kind: n, ...}, "held": n, "findings": [...]}, from the rows just read. */
    public String json(List<Map<String, Object>> counts, List<Map<String, Object>> rows)
            throws JsonProcessingException {
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode open = answer.putObject("open");
        long heldNow = 0;
        for (DriftKind kind : DriftKind.values()) {
            open.put(kind.key(), 0);
        }
        for (Map<String, Object> row : counts) {
            open.put(String.valueOf(row.get("kind")), number(row.get("open")));
            heldNow += number(row.get("held"));
        }
        answer.put("held", heldNow);
        ArrayNode list = answer.putArray("findings");
        for (Map<String, Object> row : rows) {
            Finding f = finding(row);
            ObjectNode item = list.addObject();
            item.put("id", f.id()).put("kind", f.kind()).put("title", f.title()).put("subject", f.subject())
                    .put("detail", f.detail()).put("foundAt", String.valueOf(f.foundAt()))
                    .put("lastSeenAt", String.valueOf(f.lastSeenAt())).put("action", f.action())
                    .put("outcome", f.outcome());
        }
        return JSON.writeValueAsString(answer);
    }

    private static Finding finding(Map<String, Object> row) {
        String kind = String.valueOf(row.get("kind"));
        DriftKind known = DriftKind.of(kind);
        return new Finding(number(row.get("id")), kind, known == null ? kind : known.title(),
                String.valueOf(row.get("subject")), String.valueOf(row.get("detail")), instant(row.get("found_at")),
                instant(row.get("last_seen_at")), String.valueOf(row.get("action")),
                row.get("outcome") == null ? null : row.get("outcome").toString());
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant();
        }
        return null;
    }
}
