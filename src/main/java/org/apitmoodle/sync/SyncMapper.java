package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.SyncFailure;

/**
 * What one sync operation knows about its records, for the one pipeline (routes/sync-pipeline.camel.yaml) that
 * claims them, sends them in batches and writes back what Moodle answered. Records are the rows the operation's
 * claim SQL returns. Plain logic: no Camel, no database.
 */
public interface SyncMapper {

    /**
     * The parameters of the operation's Moodle call for these records. What Moodle would refuse is found here,
     * before anything is sent: a {@link org.apitmoodle.moodle.BadRecordException} naming the record.
     */
    Map<String, Object> request(List<Map<String, Object>> records);

    /** The rows for the write-back SQL once Moodle took the call. */
    List<Map<String, Object>> written(List<Map<String, Object>> records, JsonNode answer);

    /**
     * Calls that find records an earlier attempt already made in Moodle (its answer lost to a crash or a timeout),
     * made before the write so nothing is made twice. None by default.
     */
    default List<MoodleCall> lookUps(List<Map<String, Object>> records) {
        return List.of();
    }

    /**
     * The look-ups for a batch that is sent again ({@code retried}: an earlier attempt of this batch failed, and may
     * have reached Moodle). The same as {@link #lookUps(List)} by default.
     */
    default List<MoodleCall> lookUps(List<Map<String, Object>> records, boolean retried) {
        return lookUps(records);
    }

    /** The write-back rows of the records the look-ups found in Moodle: adopted, not made again. */
    default List<Map<String, Object>> adopted(List<Map<String, Object>> records, List<JsonNode> lookUpAnswers) {
        return List.of();
    }

    /**
     * Records Moodle refused inside a successful answer (a warning about one course): each goes to the dead-letter
     * queue alone, while the others of the call are written back. None by default.
     */
    default List<Refusal> refused(List<Map<String, Object>> records, JsonNode answer) {
        return List.of();
    }

    /**
     * What it means when Moodle refused the operation's write call for these records as a whole: by default the
     * failure as Moodle's answer classified it (see MoodleResponse). An operation may know better, e.g. that a
     * refusal is the integration's configuration rather than the records.
     */
    default SyncFailure refusedCall(List<Map<String, Object>> records, SyncFailure failure) {
        return failure;
    }

    /**
     * Calls that read back what Moodle kept of the write (Moodle drops some values without a word, such as a custom
     * field it does not have), made once the write succeeded. None by default.
     */
    default List<MoodleCall> checks(List<Map<String, Object>> records, JsonNode answer) {
        return List.of();
    }

    /** {@link #written(List, JsonNode)}, knowing the answers of the {@link #checks}. */
    default List<Map<String, Object>> written(List<Map<String, Object>> records, JsonNode answer,
            List<JsonNode> checkAnswers) {
        return written(records, answer);
    }

    /** {@link #refused(List, JsonNode)}, knowing the answers of the {@link #checks}. */
    default List<Refusal> refused(List<Map<String, Object>> records, JsonNode answer, List<JsonNode> checkAnswers) {
        return refused(records, answer);
    }

    /** One record Moodle refused in a successful answer, and why. */
    record Refusal(Map<String, Object> record, SyncFailure failure) {
    }
}
