package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.sync.Batch;
import org.apitmoodle.sync.Operation;
import org.junit.jupiter.api.Test;

/**
 * A value a user typed reaches the log (here the email Moodle refused, in its error message): written by the
 * configured layouts (src/main/resources/log4j2.properties), text and JSON alike, it stays on its one line, so it
 * cannot forge a line like "Synced 1 user record(s)".
 */
class LogLinesTest {

    private static final String EMAIL = "erin@example.org\r\n12:00:00.000 INFO  [main] SyncOutcomes - Synced 1 user"
            + " record(s) with core_user_create_users: ids [5]\u001b[2J\u0007";

    @Test
    void aLineBreakOrControlCharacterInARecordsValueIsEscapedInTextLines() {
        LogEvent event = deadLetteredLine();

        String text = layout("text").toSerializable(event).toString();

        assertThat(text).endsWith(System.lineSeparator());
        String line = text.substring(0, text.length() - System.lineSeparator().length());
        assertThat(line).as("one line").doesNotContain("\r").doesNotContain("\n")
                .doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(line).contains("WARN ").contains("SyncOutcomes - Dead-lettered 1 user record(s)")
                .contains("erin@example.org\\r\\n12:00:00.000 INFO  [main] SyncOutcomes - Synced 1 user record(s)")
                .contains("ids [5]\\u001b[2J\\u0007");
    }

    @Test
    void jsonLinesEscapeThemAsJsonAndKeepTheValueWhole() throws Exception {
        LogEvent event = deadLetteredLine();

        String json = layout("json").toSerializable(event).toString();

        assertThat(json.strip()).as("one line").doesNotContain("\r").doesNotContain("\n").doesNotContain("\u001b");
        JsonNode line = new ObjectMapper().readTree(json);
        assertThat(line.path("message").asText()).contains(EMAIL);
        assertThat(line.path("level").asText()).isEqualTo("WARN");
    }

    @Test
    void theEscapesAreReadable() {
        StringBuilder text = new StringBuilder("kept\r\n\ttab \u0000 \u007f \u0085 \u2028 é ✓");
        OneLineConverter.escape(text, 4);
        assertThat(text.toString()).isEqualTo("kept\\r\\n\\ttab \\u0000 \\u007f \\u0085 \\u2028 é ✓");
    }

    /** The line SyncOutcomes writes for a user whose email Moodle refused, as the log received it. */
    private static LogEvent deadLetteredLine() {
        List<LogEvent> events = new CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("log-lines-" + System.nanoTime(), null, null, false,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLoggerName().equals(SyncOutcomes.class.getName())) {
                    events.add(event.toImmutable());
                }
            }
        };
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(capture, null, null);
        context.updateLoggers();
        try {
            new SyncOutcomes(new SimpleMeterRegistry()).failed(
                    Batch.of(Operation.USER, List.of(Map.of("user_id", 5L, "email", EMAIL))),
                    new BadRecordException("invalidemail", "The user's email address '" + EMAIL + "' is not valid."),
                    null);
        } finally {
            context.getConfiguration().getRootLogger().removeAppender(capture.getName());
            context.updateLoggers();
            capture.stop();
        }
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static Layout<?> layout(String appender) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        assertThat(context.getConfiguration().getAppenders()).as("the appenders of log4j2.properties").containsKey(appender);
        return context.getConfiguration().getAppenders().get(appender).getLayout();
    }
}
