package org.apitmoodle.sync.operations;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.junit.jupiter.api.Test;

/** A copied date is checked as a course made empty is, before the copy and before its update. */
class CourseCopyMappersTest {

    private static Map<String, Object> date(String label, Long start, Long end) {
        Map<String, Object> course = new HashMap<>();
        course.put("course_id", 7L);
        course.put("template_moodle_id", 3L);
        course.put("moodle_id", 12L);
        course.put("fullname", label);
        course.put("startdate", start);
        course.put("enddate", end);
        return course;
    }

    @Test
    void theCopyIsRefusedBeforeItIsMadeForWhatAnEmptyCourseIsRefused() {
        CourseCopyMapper copies = new CourseCopyMapper(1, "APIT-", "APIT-C-");
        assertThatThrownBy(() -> copies.request(List.of(date("Fire Safety", null, null))))
                .isInstanceOf(BadRecordException.class).hasFieldOrPropertyWithValue("errorCode", "nostartdate");
        assertThatThrownBy(() -> copies.request(List.of(date("<b>Fire</b>", 100L, null))))
                .isInstanceOf(BadRecordException.class).hasFieldOrPropertyWithValue("errorCode", "markupinlabel");
    }

    @Test
    void theCopysUpdateIsRefusedForWhatAnEmptyCourseIsRefused() {
        CopiedCourseMapper updates = new CopiedCourseMapper("APIT-C-");
        assertThatThrownBy(() -> updates.request(List.of(date("Fire Safety", 200L, 100L))))
                .isInstanceOf(BadRecordException.class).hasFieldOrPropertyWithValue("errorCode", "endbeforestart");
        assertThatThrownBy(() -> updates.request(List.of(date("x".repeat(255), 100L, null))))
                .isInstanceOf(BadRecordException.class).hasFieldOrPropertyWithValue("errorCode", "labeltoolong");
    }
}
