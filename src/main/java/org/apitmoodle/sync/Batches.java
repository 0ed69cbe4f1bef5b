package org.apitmoodle.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleForm;

/**
 * Cuts an operation's claimed records into the batches sent in one Moodle call each: at most the batch size, and
 * at most {@code moodle.max-input-vars} form fields per call (PHP drops the fields past its max_input_vars without
 * a word, and Moodle then creates part of the batch and answers success: transcript 277).
 *
 * <p>(Camel's simple {@code collate} is not used: on Camel 4.18 its cached iterator nested the lists one level
 * deeper at every poll that found nothing.)
 */
public final class Batches {

    /**
     * The most form fields one record takes in any operation's call: a course (fullname, shortname, categoryid,
     * idnumber, summary, summaryformat, startdate, enddate). A smaller moodle.max-input-vars stops start-up.
     */
    public static final int LARGEST_RECORD_FIELDS = 8;

    private final Map<Operation, SyncMapper> mappers;
    private final Map<Operation, String> moodleFunctions;
    private final int maxInputVars;

    /**
     * The mapper (the class with the operation's own logic) and the Moodle function of each operation that runs,
     * made once at start from the operations' descriptors.
     */
    public Batches(Map<Operation, SyncMapper> mappers, Map<Operation, String> moodleFunctions, int maxInputVars) {
        this.mappers = Map.copyOf(mappers);
        this.moodleFunctions = Map.copyOf(moodleFunctions);
        this.maxInputVars = maxInputVars;
    }

    /**
     * The records in consecutive batches of at most {@code size} whose write call stays within
     * moodle.max-input-vars form fields, for the operation stored as {@code operation}: mapped by its class,
     * written with its Moodle function, written back by its write-back SQL.
     */
    public List<Batch> of(String operation, List<Map<String, Object>> records, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("A batch size must be at least 1, not " + size);
        }
        Operation op = Operation.of(operation);
        SyncMapper found = mappers.get(op);
        if (found == null) {
            throw new IllegalArgumentException("The operation " + operation + " does not run");
        }
        String moodleFunction = moodleFunctions.get(op);
        String writeBackSql = op.sync().writeBackSql();
        List<Batch> batches = new ArrayList<>();
        int from = 0;
        int fields = MoodleForm.CALL_FIELDS;
        for (int i = 0; i < records.size(); i++) {
            int recordFields = fields(found, records.get(i));
            if (i > from && (i - from == size || fields + recordFields > maxInputVars)) {
                batches.add(new Batch(op, found, moodleFunction, writeBackSql, records.subList(from, i)));
                from = i;
                fields = MoodleForm.CALL_FIELDS;
            }
            fields += recordFields;
        }
        if (from < records.size()) {
            batches.add(new Batch(op, found, moodleFunction, writeBackSql, records.subList(from, records.size())));
        }
        return batches;
    }

    /**
     * The form fields one record adds to its operation's write call; none for a record our checks refuse, as it
     * is taken out before anything is sent. (Look-ups take fewer per record: one username, one ID number.)
     */
    static int fields(SyncMapper mapper, Map<String, Object> record) {
        try {
            return MoodleForm.fields(mapper.request(List.of(record))).size();
        } catch (BadRecordException refusedLocally) {
            return 0;
        }
    }
}
