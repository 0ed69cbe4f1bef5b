package org.apitmoodle.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Cuts an operation's claimed records into the batches sent in one Moodle call each.
 *
 * <p>(Camel's simple {@code collate} is not used: on Camel 4.18 its cached iterator nested the lists one level
 * deeper at every poll that found nothing.)
 */
public final class Batches {

    private final Function<String, SyncMapper> mappers;

    /** {@code mappers} finds a mapper by the bean name a templated route gives. */
    public Batches(Function<String, SyncMapper> mappers) {
        this.mappers = mappers;
    }

    /**
     * The records in consecutive batches of at most {@code size}, for the operation stored as {@code operation},
     * mapped by the bean {@code mapper}, written with {@code moodleFunction}, written back by {@code writeBackSql}.
     */
    public List<Batch> of(String operation, String mapper, String moodleFunction, String writeBackSql,
            List<Map<String, Object>> records, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("A batch size must be at least 1, not " + size);
        }
        Operation op = Operation.of(operation);
        SyncMapper found = mappers.apply(mapper);
        if (found == null) {
            throw new IllegalArgumentException("No mapper bean named " + mapper + " for the operation " + operation);
        }
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < records.size(); from += size) {
            batches.add(new Batch(op, found, moodleFunction, writeBackSql,
                    records.subList(from, Math.min(records.size(), from + size))));
        }
        return batches;
    }
}
