package org.apitmoodle.ops;

import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/**
 * {@code %oneline{pattern}} in a log4j2 pattern: what the pattern writes, with line breaks and other control characters
 * written as escapes ({@code \r}, {@code \n}, {@code \t}, {@code \u001b} ...). Log messages carry what users typed
 * (an email, a name, Moodle's error about them); with a line break in it, one message could otherwise print a second,
 * forged line, like a "Synced 1 user record(s)" that never happened. JSON lines need none of this: JSON strings
 * escape control characters themselves.
 */
@Plugin(name = "OneLineConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"oneline"})
public final class OneLineConverter extends LogEventPatternConverter {

    private final List<PatternFormatter> formatters;

    private OneLineConverter(List<PatternFormatter> formatters) {
        super("oneline", "oneline");
        this.formatters = formatters;
    }

    /** Called by log4j for {@code %oneline{...}}: options[0] is the pattern inside the braces. */
    public static OneLineConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1 || options[0] == null) {
            LOGGER.error("%oneline takes one pattern, like %oneline{%msg}");
            return null;
        }
        return new OneLineConverter(PatternLayout.createPatternParser(config).parse(options[0]));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        int start = toAppendTo.length();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, toAppendTo);
        }
        escape(toAppendTo, start);
    }

    /** Escapes, in place from {@code start}, every character that could start a new line or steer a terminal. */
    static void escape(StringBuilder text, int start) {
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = switch (c) {
                case '\r' -> "\\r";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (escaped != null) {
                text.replace(i, i + 1, escaped);
                i += escaped.length() - 1;
            }
        }
    }
}
