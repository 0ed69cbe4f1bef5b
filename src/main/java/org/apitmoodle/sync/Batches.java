package org.apitmoodle.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.SyncFailure;

/**
 * Cutting claimed records into the batches sent in one Moodle call each.
 *
 * <p>Moodle runs each create or enrol call in one transaction, so one bad record fails its whole batch. Retrying
 * the halves, and their halves, isolates the bad records in a few calls while the good ones are synced.
 */
public final class Batches {

    /**
     * The records in consecutive batches of at most {@code size}. (Camel's simple {@code collate} was not used:
     * on Camel 4.18 its cached iterator nested the lists one level deeper at every poll that found nothing.)
     */
    public <T> List<List<T>> of(List<T> records, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("A batch size must be at least 1, not " + size);
        }
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < records.size(); from += size) {
            batches.add(List.copyOf(records.subList(from, Math.min(records.size(), from + size))));
        }
        return batches;
    }

    public <T> List<List<T>> halves(List<T> batch) {
        int middle = batch.size() / 2;
        return List.of(batch.subList(0, middle), batch.subList(middle, batch.size()));
    }

    /**
     * How to retry a refused batch: when the failure names its record (our own checks, a look-up), that record
     * alone and the rest, so no good record costs an extra call; when Moodle refused the batch as a whole, its
     * halves.
     */
    public List<List<Map<String, Object>>> partsToRetry(List<Map<String, Object>> batch, Throwable failure) {
        if (SyncFailure.in(failure) instanceof BadRecordException bad && bad.getRecord() != null
                && batch.contains(bad.getRecord())) {
            List<Map<String, Object>> rest = new ArrayList<>(batch);
            rest.remove(bad.getRecord());
            return List.of(List.of(bad.getRecord()), rest);
        }
        return halves(batch);
    }

    /** Both lists in one, e.g. the records adopted from Moodle and the ones Moodle just created. */
    public <T> List<T> joined(List<T> first, List<T> second) {
        List<T> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }
}
