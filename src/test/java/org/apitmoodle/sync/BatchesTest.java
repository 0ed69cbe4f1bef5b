package org.apitmoodle.sync;

import org.apitmoodle.sync.operations.CourseMapper;
import org.apitmoodle.sync.operations.EnrolmentMapper;
import org.apitmoodle.sync.operations.UserMapper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apitmoodle.moodle.MoodleForm;
import org.junit.jupiter.api.Test;

/** Batches are cut so that no call has more form fields than PHP's max_input_vars keeps. */
class BatchesTest {

    private final UserMapper users = new UserMapper("apit.");

    @Test
    void aBatchBiggerThanMaxInputVarsIsCutIntoCallsThatFitWithNothingLost() {
        // Transcript 277: 150 users x 8 fields went in one call, PHP kept 1,001 fields and Moodle created 125.
        List<Map<String, Object>> records = LongStream.rangeClosed(1, 150).mapToObj(BatchesTest::user).toList();

        List<Batch> batches = new Batches(BatchTest.mappers(users), Map.of(Operation.USER, "core_user_create_users"), 1000).of("user", records, 150);

        List<Long> sent = new ArrayList<>();
        for (Batch batch : batches) {
            int fields = MoodleForm.fields(users.request(batch.getRecords())).size() + MoodleForm.CALL_FIELDS;
            assertThat(fields).as(batch.toString()).isLessThanOrEqualTo(1000);
            sent.addAll(batch.getIds());
        }
        // 7 fields a user: 142 users (997 fields) in the first call, 8 in the second.
        assertThat(batches).extracting(Batch::getSize).containsExactly(142, 8);
        assertThat(sent).isEqualTo(LongStream.rangeClosed(1, 150).boxed().toList());
    }

    @Test
    void theBatchSizeStillBoundsEachCall() {
        List<Map<String, Object>> records = LongStream.rangeClosed(1, 120).mapToObj(BatchesTest::user).toList();

        assertThat(new Batches(BatchTest.mappers(users), Map.of(Operation.USER, "f"), 1000).of("user", records, 50))
                .extracting(Batch::getSize).containsExactly(50, 50, 20);
        assertThat(new Batches(BatchTest.mappers(users), Map.of(Operation.USER, "f"), 11).of("user", records.subList(0, 3), 50))
                .extracting(Batch::getSize).containsExactly(1, 1, 1);
    }

    @Test
    void aRecordOurChecksRefuseTakesNoFieldsAsItIsNeverSent() {
        Map<String, Object> bad = user(2);
        bad.put("email", "not-an-email");

        assertThat(Batches.fields(users, bad)).isZero();
        assertThat(Batches.fields(users, user(1))).isEqualTo(7);
    }

    @Test
    void theLargestRecordIsACourseWithEveryField() {
        Map<String, Object> course = new HashMap<>();
        course.put("course_id", 1L);
        course.put("fullname", "Fire Safety");
        course.put("summary", "<p>Aims</p>");
        course.put("summaryformat", 1);
        course.put("startdate", 1795496149L);
        course.put("enddate", 1798174549L);

        assertThat(Batches.fields(new CourseMapper(2, "APIT-", "APIT-C-"), course))
                .isEqualTo(Batches.LARGEST_RECORD_FIELDS);
        assertThat(Batches.fields(users, user(1))).isLessThanOrEqualTo(Batches.LARGEST_RECORD_FIELDS);
        assertThat(Batches.fields(new EnrolmentMapper(5), Map.of("delegate_id", 1L, "moodle_user_id", 7L,
                "moodle_course_id", 2L))).isLessThanOrEqualTo(Batches.LARGEST_RECORD_FIELDS);
    }

    private static Map<String, Object> user(long id) {
        Map<String, Object> user = new HashMap<>();
        user.put("user_id", id);
        user.put("firstname", "Max");
        user.put("lastname", "Vars " + id);
        user.put("email", "miw" + id + "@example.com");
        return user;
    }
}
