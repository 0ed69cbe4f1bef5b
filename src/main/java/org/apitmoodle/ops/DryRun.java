package org.apitmoodle.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.MoodleForm;
import org.apitmoodle.sync.Batch;
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

    /**
     * Records what would have been sent for the batch; returns its records' entity_type and entity_id rows (a dry
     * run writes no claim, so there is nothing to release).
     */
    public synchronized List<Map<String, Object>> record(@ExchangeProperty("batch") Batch batch, @Body MoodleCall call) {
        String type = batch.getOperation().key();
        List<Long> ids = batch.getIds();
        Set<Object> seen = idsByType.computeIfAbsent(type, t -> new LinkedHashSet<>());
        List<Long> fresh = ids.stream().filter(id -> !seen.contains(id)).toList();
        Map.Entry<String, List<?>> perRecord = call.perRecord();
        List<List<Map.Entry<String, String>>> samples = samplesByType.computeIfAbsent(type, t -> new ArrayList<>());
        for (int i = 0; i < ids.size(); i++) {
            if (fresh.contains(ids.get(i)) && samples.size() < sampleSize && perRecord != null
                    && i < perRecord.getValue().size()) {
                samples.add(formFields(call.function(), perRecord.getKey(), perRecord.getValue().get(i)));
            }
        }
        seen.addAll(ids);
        functionByType.put(type, call.function());
        if (!fresh.isEmpty()) {
            changedSinceReport = true;
            LOG.info("DRY RUN: would call {} for {} {} record(s): ids {} (not sent, not marked done)",
                    call.function(), fresh.size(), type, fresh);
        }
        List<Map<String, Object>> claims = new ArrayList<>();
        for (Long id : ids) {
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
        return String.join(System.lineSeparator(), reportLines());
    }

    /**
     * Logs the report a line at a time: the log escapes line breaks inside a message (a value a user typed could
     * hold one), so a report of several lines is several messages.
     */
    public void logReport() {
        reportLines().forEach(line -> LOG.info("{}", line));
    }

    private synchronized List<String> reportLines() {
        changedSinceReport = false;
        List<String> lines = new ArrayList<>();
        lines.add("DRY RUN report: what the sync would send to Moodle (nothing was sent)");
        idsByType.forEach((type, ids) -> {
            lines.add("  " + type + ": " + ids.size() + " record(s) with " + functionByType.get(type) + ", ids " + ids);
            for (List<Map.Entry<String, String>> sample : samplesByType.getOrDefault(type, List.of())) {
                StringBuilder fields = new StringBuilder("    ");
                for (Map.Entry<String, String> field : sample) {
                    if (fields.length() > 4) {
                        fields.append('&');
                    }
                    fields.append(field.getKey()).append('=').append(field.getValue());
                }
                lines.add(fields.toString());
            }
        });
        return lines;
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

}
