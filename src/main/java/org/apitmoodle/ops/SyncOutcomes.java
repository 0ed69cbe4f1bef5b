package org.apitmoodle.ops;

import org.apitmoodle.sync.DeadLetters;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apitmoodle.moodle.SyncFailure;
import org.apitmoodle.sync.Batch;
import org.apitmoodle.sync.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What happened to each batch: one log line (entity type, accessplanit ids, Moodle function, and for a failure
 * Moodle's errorcode) and a count in the metrics. The routes call it once per synced batch and once per
 * dead-lettered batch. The line's facts are also in the logging context (MDC), so JSON log lines carry them as
 * fields. Nothing here ever sees the token.
 */
public final class SyncOutcomes {

    public static final String SYNCED = "apit.sync.records.synced";
    public static final String FAILED = "apit.sync.records.failed";

    private static final Logger LOG = LoggerFactory.getLogger(SyncOutcomes.class);

    private final MeterRegistry meters;
    /** Records synced and dead-lettered since start, per entity type: what progress and the status page count. */
    private final Map<String, LongAdder> synced = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final SyncHistory history;

    public SyncOutcomes(MeterRegistry meters) {
        this(meters, null);
    }

    /** {@code history} gets each batch's count for the status page's chart (null: not noted). */
    public SyncOutcomes(MeterRegistry meters, SyncHistory history) {
        this.meters = meters;
        this.history = history;
    }

    /** A batch Moodle took, its ids written back. {@code written} is what was written back, when it names Moodle ids. */
    public void synced(@ExchangeProperty("batch") Batch batch, @Body Object written) {
        String entityType = batch.getOperation().key();
        List<Long> ids = batch.getIds();
        List<Object> moodleIds = moodleIds(written);
        Counter.builder(SYNCED).description("Records Moodle took and whose ids were written back")
                .tag("entity", entityType).register(meters).increment(ids.size());
        synced.computeIfAbsent(entityType, type -> new LongAdder()).add(ids.size());
        // The grade poll reads every open delegate at every poll: counted, it would drown what was sent.
        if (history != null && batch.getOperation() != Operation.GRADES && !ids.isEmpty()) {
            history.synced(ids.size());
        }
        try (MDC.MDCCloseable a = MDC.putCloseable("entityType", entityType);
                MDC.MDCCloseable b = MDC.putCloseable("ids", ids.toString());
                MDC.MDCCloseable c = MDC.putCloseable("moodleFunction", batch.getMoodleFunction());
                MDC.MDCCloseable d = MDC.putCloseable("moodleIds", moodleIds.isEmpty() ? null : moodleIds.toString())) {
            LOG.info("Synced {} {} record(s) with {}: ids {}{}", ids.size(), entityType, batch.getMoodleFunction(), ids,
                    moodleIds.isEmpty() ? "" : ", Moodle ids " + moodleIds);
        }
    }

    /**
     * A batch that went to the dead-letter queue. {@code deadLettered} is what dead-letter-record.sql answered: the
     * records it wrote (rows with entity_id). A record Moodle already holds (DONE, e.g. through another instance's
     * call) got no entry, so it is neither counted nor logged as dead-lettered. (A body that is not rows counts every
     * record of the batch.)
     */
    public void failed(@ExchangeProperty("batch") Batch batch,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause, @Body Object deadLettered) {
        String entityType = batch.getOperation().key();
        List<Long> ids = deadLettered instanceof List<?> rows ? entityIds(rows) : batch.getIds();
        String errorClass = errorClass(cause);
        String errorCode = errorCode(cause);
        if (ids.size() < batch.getIds().size()) {
            List<Long> synced = new ArrayList<>(batch.getIds());
            synced.removeAll(ids);
            LOG.info("Not dead-lettered: {} {} record(s) already synced ({}): ids {}, errorcode {} of this call ignored",
                    synced.size(), entityType, batch.getMoodleFunction(), synced, errorCode);
        }
        if (ids.isEmpty()) {
            return;
        }
        Counter.builder(FAILED).description("Records that went to the dead-letter queue, by error class")
                .tag("entity", entityType).tag("error_class", errorClass)
                .register(meters).increment(ids.size());
        failed.computeIfAbsent(entityType, type -> new LongAdder()).add(ids.size());
        if (history != null) {
            history.deadLettered(ids.size());
        }
        try (MDC.MDCCloseable a = MDC.putCloseable("entityType", entityType);
                MDC.MDCCloseable b = MDC.putCloseable("ids", ids.toString());
                MDC.MDCCloseable c = MDC.putCloseable("moodleFunction", batch.getMoodleFunction());
                MDC.MDCCloseable d = MDC.putCloseable("errorClass", errorClass);
                MDC.MDCCloseable e = MDC.putCloseable("errorCode", errorCode)) {
            LOG.warn("Dead-lettered {} {} record(s) ({}): ids {}, errorcode {} ({}): {}", ids.size(), entityType,
                    batch.getMoodleFunction(), ids, errorCode, errorClass,
                    DeadLetters.message(cause));
        }
    }

    private static List<Long> entityIds(List<?> rows) {
        List<Long> ids = new ArrayList<>();
        for (Object row : rows) {
            if (row instanceof Map<?, ?> map && map.get("entity_id") instanceof Number id) {
                ids.add(id.longValue());
            }
        }
        return ids;
    }

    /** Records of this entity type synced since start. */
    public long synced(String entityType) {
        LongAdder count = synced.get(entityType);
        return count == null ? 0 : count.sum();
    }

    /** Records of this entity type dead-lettered since start. */
    public long failed(String entityType) {
        LongAdder count = failed.get(entityType);
        return count == null ? 0 : count.sum();
    }

    /** Records of this entity type finished since start: synced or dead-lettered. */
    public long finished(String entityType) {
        return synced(entityType) + failed(entityType);
    }

    /** The dead-letter row's class: the log line, the metric and the row say the same. */
    static String errorClass(Throwable cause) {
        return DeadLetters.errorClass(cause);
    }

    /** The dead-letter row's code. */
    static String errorCode(Throwable cause) {
        return DeadLetters.errorCode(cause);
    }

    /** The Moodle ids in what was written back (rows with moodle_id), or none. */
    private static List<Object> moodleIds(Object written) {
        List<Object> moodleIds = new ArrayList<>();
        if (written instanceof List<?> rows) {
            for (Object row : rows) {
                if (row instanceof Map<?, ?> map && map.get("moodle_id") != null) {
                    moodleIds.add(map.get("moodle_id"));
                }
            }
        }
        return moodleIds;
    }
}
