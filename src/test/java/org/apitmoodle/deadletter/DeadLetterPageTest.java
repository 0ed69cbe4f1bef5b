package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterPageTest {

    private final CrossSiteGuard guard = new CrossSiteGuard("127.0.0.1", 8080);
    private final DeadLetterPage page = new DeadLetterPage(guard,
            new ReadableTimes(Clock.fixed(Instant.parse("2026-12-06T16:30:00Z"), ZoneOffset.UTC)));

    @Test
    void everyValueIsEscaped() {
        Map<String, Object> entry = entry(9, "user", 71, "invalid<code>",
                "The user's email address '<script>alert(\"x\")</script>&@example' is not valid.");
        entry.put("userForenames", "<b>Eve</b>");

        String html = render(List.of(entry), Map.of());

        assertThat(html).doesNotContain("<script>alert").doesNotContain("invalid<code>").doesNotContain("<b>Eve")
                .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;@example")
                .contains("invalid&lt;code&gt;").contains("&lt;b&gt;Eve&lt;/b&gt;")
                .contains("id=\"dead-letter-9\"").contains("class=\"replay\" data-id=\"9\"").contains("name=\"reason\" required");
    }

    @Test
    void thePageCarriesTheTokenItsButtonsSend() {
        String html = render(List.of(), Map.of());

        assertThat(html).contains("<meta name=\"csrf-token\" content=\"" + guard.token() + "\">")
                .contains("setRequestHeader('X-CSRF-Token'");
    }

    @Test
    void anEmptyQueueSaysSo() {
        assertThat(render(List.of(), Map.of())).contains("No open entries: everything").doesNotContain("<table");
        assertThat(render(List.of(), Map.of("error_code", "nothing"))).contains("No open entries match this filter");
    }

    @Test
    void entriesOfOneCauseAreOneGroupWithItsExplanationOnceAndItsActions() {
        Map<String, Object> judy = entry(1, "user", 301, "invalidemail",
                "The user's email address 'judy@example' is not one Moodle accepts. Correct it, then replay.");
        Map<String, Object> course = entry(2, "course", 300, "nostartdate", "The course has no start date.");
        Map<String, Object> ken = entry(3, "user", 302, "invalidemail",
                "The user's email address 'ken@example' is not one Moodle accepts. Correct it, then replay.");
        judy.put("groupSize", 2L);
        judy.put("groupLastId", 3L);
        ken.put("groupSize", 2L);
        ken.put("groupLastId", 3L);

        String html = render(List.of(judy, course, ken), Map.of());

        assertThat(html).containsOnlyOnce("is not one Moodle accepts").contains("Replay these 2").contains("Discard these 2")
                .contains("Replay this 1").contains("data-through=\"3\"")
                .contains("<td class=\"detail\">judy@example</td>").contains("<td class=\"detail\">ken@example</td>");
        assertThat(html.indexOf("dead-letter-3")).as("grouped, not in id order").isLessThan(html.indexOf("dead-letter-2"));
    }

    @Test
    void recordsAreNamedAsPeopleKnowThemAndByNumberWhenTheirRowIsGone() {
        Map<String, Object> user = entry(1, "user", 301, "c1", "m");
        user.put("userForenames", "Judy");
        user.put("userSurname", "Jones");
        user.put("userEmail", "judy@example.com");
        Map<String, Object> course = entry(2, "course", 300, "c2", "m");
        course.put("courseLabel", "Fire Safety");
        course.put("courseStartAt", "2027-03-01T09:00:00Z");
        Map<String, Object> booking = entry(3, "cancellation", 77, "c3", "m");
        booking.put("userForenames", "Ken");
        booking.put("userSurname", "King");
        booking.put("courseLabel", "Fire Safety");
        booking.put("courseStartAt", "2027-03-01T09:00:00Z");
        Map<String, Object> gone = entry(4, "user", 999, "c4", "m");

        String html = render(List.of(user, course, booking, gone), Map.of());

        assertThat(html).contains("<span class=\"name\">Judy Jones</span> <span class=\"email\">&lt;judy@example.com&gt;</span>")
                .contains("<span class=\"course\">Fire Safety, 1 Mar 2027 09:00</span> <span class=\"ref\">(course 300)</span>")
                .contains("<span class=\"name\">Ken King</span> <span class=\"course\">on Fire Safety, 1 Mar 2027 09:00</span>")
                .contains("(user 999, no longer in accessplanit)");
    }

    @Test
    void timesAreReadableWithTheExactTimeOnHover() {
        Map<String, Object> entry = entry(1, "user", 301, "c1", "m");
        entry.put("firstFailedAt", "2026-12-03T08:00:00.123456Z");
        entry.put("lastFailedAt", "2026-12-06T14:51:07.5Z");

        String html = render(List.of(entry), Map.of());

        assertThat(html).contains("title=\"2026-12-03T08:00:00Z\">3 days ago</time>")
                .contains("title=\"2026-12-06T14:51:07Z\">today 14:51</time>");
    }

    @Test
    void theFiltersOfferEveryOpenCauseAndKeepTheChosenOne() {
        List<Map<String, Object>> causes = List.of(
                Map.of("entity_type", "user", "error_code", "invalidemail", "entries", 3L),
                Map.of("entity_type", "enrolment", "error_code", "invalidemail", "entries", 1L),
                Map.of("entity_type", "course", "error_code", "nostartdate", "entries", 2L));

        String html = page.render(List.of(), Map.of("entity_type", "user"), causes);

        assertThat(html).contains("<option value=\"user\" selected>user (3)</option>")
                .contains("<option value=\"course\">course (2)</option>")
                .contains("<option value=\"invalidemail\">invalidemail (4)</option>")
                .contains("id=\"filter-clear\"");
    }

    private String render(List<Map<String, Object>> entries, Map<String, Object> filter) {
        return page.render(entries, new HashMap<>(filter), List.of());
    }

    private static Map<String, Object> entry(long id, String entityType, long entityId, String errorCode, String message) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("entityType", entityType);
        entry.put("entityId", entityId);
        entry.put("errorCode", errorCode);
        entry.put("errorMessage", message);
        entry.put("attempts", 1);
        return entry;
    }
}
