package org.apitmoodle.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.apitmoodle.moodle.MoodleForm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dry run (sync.dry-run=true): Moodle functions that write are not called. Their parameters are recorded
 * instead, per entity type (how many records, and the form fields of the first ones with the token masked), and
 * the records' claims are released, so they are neither marked done nor held back from a real run later.
 * Functions that only read (site info, lookups) still reach Moodle.
 */
public final class DryRun {

    public static final String MASKED_TOKEN = "********";

    private static final Logger LOG = LoggerFactory.getLogger(DryRun.class);

    private final boolean enabled;
    private final int sampleSize;
    private final Map<String, Set<Object>> idsByType = new LinkedHashMap<>();
    private final Map<String, List<List<Map.Entry<String, String>>>> samplesByType = new LinkedHashMap<>();
    private final Map<String, String> functionByType = new LinkedHashMap<>();
    private boolean changedSinceReport;

    public DryRun(boolean enabled, int sampleSize) {
        this.enabled = enabled;
        this.sampleSize = sampleSize;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Whether this call is diverted: in a dry run, every function that can change Moodle. */
    public boolean intercepts(String moodleFunction) {
        return enabled && isWrite(moodleFunction);
    }

    /** Moodle's read functions are all named *_get_*; anything else (create, update, enrol ...) may write. */
    static boolean isWrite(String moodleFunction) {
        return moodleFunction == null || !moodleFunction.contains("_get_");
    }

    /**
     * Records what would have been sent for the batch and returns the claims to release (entity_type,
     * entity_id rows for release-claims.sql).
     */
    public synchronized List<Map<String, Object>> record(@ExchangeProperty("entityType") String entityType,
            @ExchangeProperty("batch") List<Map<String, Object>> batch,
            @ExchangeProperty("moodleFunction") String moodleFunction,
            @ExchangeProperty("moodleRequest") Map<String, Object> moodleRequest) {
        String type = entityType == null ? "unknown" : entityType;
        List<Object> ids = SyncOutcomes.ids(type, batch);
        Set<Object> seen = idsByType.computeIfAbsent(type, t -> new LinkedHashSet<>());
        List<Object> fresh = ids.stream().filter(id -> !seen.contains(id)).toList();
        Map.Entry<String, List<?>> perRecord = perRecordParameters(moodleRequest);
        List<List<Map.Entry<String, String>>> samples = samplesByType.computeIfAbsent(type, t -> new ArrayList<>());
        for (int i = 0; i < ids.size(); i++) {
            if (fresh.contains(ids.get(i)) && samples.size() < sampleSize && perRecord != null
                    && i < perRecord.getValue().size()) {
                samples.add(formFields(moodleFunction, perRecord.getKey(), perRecord.getValue().get(i)));
            }
        }
        seen.addAll(ids);
        functionByType.put(type, moodleFunction);
        if (!fresh.isEmpty()) {
            changedSinceReport = true;
            LOG.info("DRY RUN: would call {} for {} {} record(s): ids {} (not sent, not marked done)",
                    moodleFunction, fresh.size(), type, fresh);
        }
        List<Map<String, Object>> claims = new ArrayList<>();
        for (Object id : ids) {
            claims.add(Map.of("entity_type", type, "entity_id", id));
        }
        return claims;
    }

    /** Records that would be sent, per entity type. */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        idsByType.forEach((type, ids) -> counts.put(type, ids.size()));
        return counts;
    }

    /** The form fields of the first records of a type, as they would be posted, token masked. */
    public synchronized List<List<Map.Entry<String, String>>> samples(String entityType) {
        return List.copyOf(samplesByType.getOrDefault(entityType, List.of()));
    }

    /** Whether something was recorded since the last report, which the report then resets. */
    public synchronized boolean hasNews() {
        return changedSinceReport;
    }

    /** The report: per entity type, how many records would be sent and the first ones' parameters. */
    public synchronized String report() {
        changedSinceReport = false;
        StringBuilder report = new StringBuilder("DRY RUN report: what the sync would send to Moodle (nothing was sent)");
        idsByType.forEach((type, ids) -> {
            report.append(System.lineSeparator()).append("  ").append(type).append(": ").append(ids.size())
                    .append(" record(s) with ").append(functionByType.get(type)).append(", ids ").append(ids);
            for (List<Map.Entry<String, String>> sample : samplesByType.getOrDefault(type, List.of())) {
                report.append(System.lineSeparator()).append("    ");
                StringBuilder fields = new StringBuilder();
                for (Map.Entry<String, String> field : sample) {
                    if (fields.length() > 0) {
                        fields.append('&');
                    }
                    fields.append(field.getKey()).append('=').append(field.getValue());
                }
                report.append(fields);
            }
        });
        return report.toString();
    }

    /** One record's fields as posted in a call of its own: token (masked), function, format, its parameters. */
    private static List<Map.Entry<String, String>> formFields(String moodleFunction, String listName,
            Object recordParameters) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("wstoken", MASKED_TOKEN));
        fields.add(Map.entry("wsfunction", String.valueOf(moodleFunction)));
        fields.add(Map.entry("moodlewsrestformat", "json"));
        fields.addAll(MoodleForm.fields(Map.of(listName, List.of(recordParameters))));
        return fields;
    }

    /** The per-record list of a request ({@code courses}, {@code users}, {@code enrolments}), in batch order. */
    private static Map.Entry<String, List<?>> perRecordParameters(Map<String, Object> moodleRequest) {
        if (moodleRequest == null) {
            return null;
        }
        for (Map.Entry<String, Object> parameter : moodleRequest.entrySet()) {
            if (parameter.getValue() instanceof List<?> list) {
                return Map.entry(parameter.getKey(), list);
            }
        }
        return null;
    }
}
