package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterPageTest {

    private final CrossSiteGuard guard = new CrossSiteGuard("127.0.0.1", 8080);
    private final DeadLetterPage page = new DeadLetterPage(guard);

    @Test
    void everyValueIsEscaped() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", 9L);
        entry.put("entityType", "user");
        entry.put("entityId", 71L);
        entry.put("errorCode", "invalid<code>");
        entry.put("errorMessage", "The user's email address '<script>alert(\"x\")</script>&@example' is not valid.");
        entry.put("attempts", 2);

        String html = page.render(List.of(entry));

        assertThat(html).doesNotContain("<script>alert").doesNotContain("invalid<code>")
                .contains("The user&#39;s email address &#39;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;@example&#39;")
                .contains("invalid&lt;code&gt;")
                .contains("id=\"dead-letter-9\"").contains("class=\"replay\" data-id=\"9\"").contains("name=\"reason\" required");
    }

    @Test
    void thePageCarriesTheTokenItsButtonsSend() {
        String html = page.render(List.of());

        assertThat(html).contains("<meta name=\"csrf-token\" content=\"" + guard.token() + "\">")
                .contains("setRequestHeader('X-CSRF-Token'");
    }

    @Test
    void anEmptyQueueSaysSo() {
        assertThat(page.render(List.of())).contains("No open entries").doesNotContain("<table");
    }
}
