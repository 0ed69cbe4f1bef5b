package org.apitmoodle.sync.grades;

import org.apitmoodle.sync.Records;

import java.util.List;
import java.util.Map;

/**
 * Where the grade poll stands in its keyset paging: the Moodle course and delegate of the last delegate read (the
 * next page starts after them), and whether the last page was full (then another may follow).
 */
public final class GradePage {

    private final long afterCourse;
    private final long afterDelegate;
    private final boolean full;

    private GradePage(long afterCourse, long afterDelegate, boolean full) {
        this.afterCourse = afterCourse;
        this.afterDelegate = afterDelegate;
        this.full = full;
    }

    /** Before the first page. */
    public static GradePage first() {
        return new GradePage(Long.MIN_VALUE, Long.MIN_VALUE, true);
    }

    /** After a page of rows (delegate_id, moodle_course_id, ...) read with at most {@code pageSize} rows. */
    public GradePage after(List<Map<String, Object>> rows, int pageSize) {
        if (rows.isEmpty()) {
            return new GradePage(afterCourse, afterDelegate, false);
        }
        Map<String, Object> last = rows.get(rows.size() - 1);
        return new GradePage(Records.id(last, "moodle_course_id"), Records.id(last, "delegate_id"),
                rows.size() >= pageSize);
    }

    public long getAfterCourse() {
        return afterCourse;
    }

    public long getAfterDelegate() {
        return afterDelegate;
    }

    /** Whether the last page was full, so another may follow. */
    public boolean isFull() {
        return full;
    }
}
