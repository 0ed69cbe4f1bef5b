package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.SyncFailure;

/**
 * The records of one operation sent together, and how far they got: the one object that travels with a batch
 * through the pipeline (the exchange property {@code batch}).
 *
 * <p>A batch makes its calls in order: first the operation's look-ups (records already in Moodle are adopted),
 * then one call of the operation's Moodle function for the rest, then the checks of what Moodle kept (a value
 * Moodle drops without a word). The route asks {@link #isCallDue()} and {@link #getNextCall()}, sends the call, and
 * hands Moodle's answer to {@link #answered(JsonNode)}. What to write back is then {@link #getWriteBack()}; records
 * Moodle refused in a successful answer, or whose values it did not keep, are {@link #getRefusals()}.
 *
 * <p>A batch Moodle refused as a whole is sent again in parts ({@link #retryInParts}): a batch and its parts share
 * one queue of the parts still to send, which the route send-batch empties ({@link #takePartsToSend()}).
 */
public final class Batch {

    private final Operation operation;
    private final SyncMapper mapper;
    private final String moodleFunction;
    private final String writeBackSql;
    private final List<Map<String, Object>> records;
    /** Why this batch (of one record) is refused without a call; null otherwise. */
    private final SyncFailure refusal;

    private List<MoodleCall> lookUps;
    private final List<JsonNode> lookUpAnswers = new ArrayList<>();
    private List<Map<String, Object>> toWrite;
    private boolean written;
    private JsonNode writeAnswer;
    private List<MoodleCall> checks = List.of();
    private final List<JsonNode> checkAnswers = new ArrayList<>();
    private MoodleCall lastCall;
    private final List<Map<String, Object>> writeBack = new ArrayList<>();
    private final List<Batch> refusals = new ArrayList<>();
    /** How many times the batch's calls were started: the first attempt and every retry. */
    private int attempts;
    /** The batch as claimed, then the parts of it still to send: shared by a batch and all its parts. */
    private final Queue<Batch> partsToSend;

    public Batch(Operation operation, SyncMapper mapper, String moodleFunction, String writeBackSql,
            List<Map<String, Object>> records) {
        this(operation, mapper, moodleFunction, writeBackSql, records, null, null, new ConcurrentLinkedQueue<>());
        partsToSend.add(this);
    }

    private Batch(Operation operation, SyncMapper mapper, String moodleFunction, String writeBackSql,
            List<Map<String, Object>> records, SyncFailure refusal, MoodleCall lastCall, Queue<Batch> partsToSend) {
        this.operation = operation;
        this.mapper = mapper;
        this.moodleFunction = moodleFunction;
        this.writeBackSql = writeBackSql;
        this.records = List.copyOf(records);
        this.refusal = refusal;
        this.lastCall = lastCall;
        this.partsToSend = partsToSend;
    }

    /** Records of an operation that travel together outside the pipeline's calls (the grade poll's). */
    public static Batch of(Operation operation, List<Map<String, Object>> records) {
        return new Batch(operation, null, null, null, records);
    }

    public Operation getOperation() {
        return operation;
    }

    public List<Map<String, Object>> getRecords() {
        return records;
    }

    public int getSize() {
        return records.size();
    }

    /** The records' accessplanit ids, in order: for logs and claims. */
    public List<Long> getIds() {
        return records.stream().map(operation::id).toList();
    }

    /** How many times the batch was tried (at least 1): what the dead-letter row counts. */
    public int getAttempts() {
        return Math.max(1, attempts);
    }

    /** The file (under sql.location) that writes back what Moodle answered. */
    public String getWriteBackSql() {
        return writeBackSql;
    }

    /** The Moodle call being (or last) made for the batch: what was sent, for the dead-letter queue. */
    public MoodleCall getLastCall() {
        return lastCall;
    }

    /** The function the operation writes with, even before any call was made. */
    public String getMoodleFunction() {
        return lastCall != null ? lastCall.function() : moodleFunction;
    }

    /**
     * Starts the batch's calls from the beginning: after a failure that is retried, Moodle may have made some of
     * the records meanwhile, so the look-ups are asked again. The records are checked first: what Moodle would
     * refuse fails the batch here, before anything is sent, naming the record (see {@link SyncMapper#request}).
     */
    public void start() {
        attempts++;
        lookUps = null;
        lookUpAnswers.clear();
        toWrite = null;
        written = false;
        writeAnswer = null;
        checks = List.of();
        checkAnswers.clear();
        writeBack.clear();
        refusals.clear();
        mapper.request(records);
        lookUps = List.copyOf(mapper.lookUps(records, attempts > 1));
        if (lookUps.isEmpty()) {
            toWrite = records;
        }
    }

    /** Whether a call is still to be made for the batch (once {@link #start() started}). */
    public boolean isCallDue() {
        if (lookUps == null) {
            throw new IllegalStateException("The batch of " + operation.plural() + " was not started");
        }
        if (written) {
            return checkAnswers.size() < checks.size();
        }
        if (lookUpAnswers.size() < lookUps.size()) {
            return true;
        }
        // Null when reading the look-ups failed: nothing more is due. (Camel's loop asks again after a failure.)
        return toWrite != null && !toWrite.isEmpty();
    }

    /** The next call to send. */
    public MoodleCall getNextCall() {
        if (!isCallDue()) {
            throw new IllegalStateException("No call is due for this batch of " + operation.plural());
        }
        lastCall = lookUpAnswers.size() < lookUps.size() ? lookUps.get(lookUpAnswers.size())
                : written ? checks.get(checkAnswers.size())
                : new MoodleCall(moodleFunction, mapper.request(toWrite));
        return lastCall;
    }

    /** Moodle's answer to the call last given by {@link #getNextCall()}. */
    public void answered(JsonNode answer) {
        if (lookUpAnswers.size() < lookUps.size()) {
            lookUpAnswers.add(answer);
            if (lookUpAnswers.size() == lookUps.size()) {
                List<Map<String, Object>> adopted = mapper.adopted(records, lookUpAnswers);
                writeBack.addAll(adopted);
                Set<Long> adoptedIds = new HashSet<>();
                adopted.forEach(row -> adoptedIds.add(operation.id(row)));
                toWrite = records.stream().filter(record -> !adoptedIds.contains(operation.id(record))).toList();
            }
            return;
        }
        if (written) {
            checkAnswers.add(answer);
        } else {
            written = true;
            writeAnswer = answer;
            checks = List.copyOf(mapper.checks(toWrite, answer));
        }
        if (checkAnswers.size() < checks.size()) {
            return;
        }
        writeBack.addAll(mapper.written(toWrite, writeAnswer, checkAnswers));
        for (SyncMapper.Refusal refused : mapper.refused(toWrite, writeAnswer, checkAnswers)) {
            MoodleCall sentForIt = new MoodleCall(moodleFunction, mapper.request(List.of(refused.record())));
            refusals.add(new Batch(operation, mapper, moodleFunction, writeBackSql, List.of(refused.record()),
                    refused.failure(), sentForIt, new ConcurrentLinkedQueue<>()));
        }
    }

    /**
     * What Moodle refusing the batch's write call as a whole means for this operation (see
     * {@link SyncMapper#refusedCall}); a failure our own checks found, or of a look-up, is what it is.
     */
    public SyncFailure refusedByMoodle(Throwable failure) {
        SyncFailure refused = SyncFailure.in(failure);
        if (refused == null || (refused instanceof BadRecordException bad && bad.getRecord() != null)
                || lastCall == null || !lastCall.function().equals(moodleFunction)) {
            return refused;
        }
        return mapper.refusedCall(toWrite != null ? toWrite : records, refused);
    }

    /** The rows for the write-back SQL: records adopted from Moodle and records Moodle took. */
    public List<Map<String, Object>> getWriteBack() {
        return List.copyOf(writeBack);
    }

    /** Records Moodle refused in a successful answer, each a batch of its own that fails with Moodle's reason. */
    public List<Batch> getRefusals() {
        return List.copyOf(refusals);
    }

    /** Fails a batch Moodle refused in a successful answer, so the dead-letter channel takes it with the reason. */
    public void refuse() {
        if (refusal == null) {
            throw new IllegalStateException("This batch was not refused");
        }
        throw refusal;
    }

    /**
     * How to retry the batch after Moodle or our checks refused it: when the failure names its record, the rest and
     * then that record alone, so no good record costs an extra call (and a record refused for a clash with another
     * of its batch meets the other's Moodle record when retried); when Moodle refused the call as a whole, the
     * two halves. Each part starts afresh (its look-ups are made again).
     */
    public List<Batch> partsToRetry(Throwable failure) {
        List<List<Map<String, Object>>> parts = new ArrayList<>();
        if (SyncFailure.in(failure) instanceof BadRecordException bad && bad.getRecord() != null
                && records.contains(bad.getRecord())) {
            List<Map<String, Object>> rest = new ArrayList<>(records);
            rest.remove(bad.getRecord());
            parts.add(rest);
            parts.add(List.of(bad.getRecord()));
        } else {
            int middle = records.size() / 2;
            parts.add(records.subList(0, middle));
            parts.add(records.subList(middle, records.size()));
        }
        return parts.stream().filter(part -> !part.isEmpty())
                .map(part -> new Batch(operation, mapper, moodleFunction, writeBackSql, part, null, null, partsToSend))
                .toList();
    }

    /** Queues the parts of this refused batch (see {@link #partsToRetry}) to be sent after it. */
    public void retryInParts(Throwable failure) {
        partsToSend.addAll(partsToRetry(failure));
    }

    /** Whether parts of the batch as claimed (at first the batch itself) are still to be sent. */
    public boolean hasPartsToSend() {
        return !partsToSend.isEmpty();
    }

    /** The parts still to send, taken from the queue: the batch itself at first, then the parts of a refusal. */
    public List<Batch> takePartsToSend() {
        List<Batch> taken = new ArrayList<>();
        for (Batch part = partsToSend.poll(); part != null; part = partsToSend.poll()) {
            taken.add(part);
        }
        return taken;
    }

    /**
     * The parameters sent (or to be sent) for each record in the last call, in record order, when the call was one
     * entry per record of the whole batch; null otherwise (a look-up, or a call after some records were adopted).
     */
    public List<?> getSentPerRecord() {
        if (lastCall == null) {
            return null;
        }
        Map.Entry<String, List<?>> perRecord = lastCall.perRecord();
        return perRecord != null && perRecord.getValue().size() == records.size() ? perRecord.getValue() : null;
    }

    /** Notes a call made for the batch outside {@link #getNextCall()} (the grade poll's completion questions). */
    public MoodleCall calling(MoodleCall call) {
        lastCall = call;
        return call;
    }

    @Override
    public String toString() {
        return records.size() + " " + operation.plural() + " " + getIds();
    }
}
