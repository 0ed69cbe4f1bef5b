package org.apitmoodle.deadletter;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Times as an operator reads them at a glance ("today 14:51", "yesterday 09:02", "3 days ago"), and exactly (ISO
 * 8601 to the second, for a title on hover). Days are counted in the clock's time zone: the server's, as its log
 * lines are.
 */
public final class ReadableTimes {

    /** Further back than this, a date says more than a count of days. */
    static final int MAX_DAYS_AGO = 13;

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_OF_YEAR = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_AND_HOUR = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH);

    private final Clock clock;

    public ReadableTimes(Clock clock) {
        this.clock = clock;
    }

    /** How long ago the instant was, in words; "" for none. */
    public String ago(Instant instant) {
        if (instant == null) {
            return "";
        }
        ZonedDateTime now = ZonedDateTime.now(clock);
        ZonedDateTime then = instant.atZone(clock.getZone());
        long days = ChronoUnit.DAYS.between(then.toLocalDate(), now.toLocalDate());
        if (days <= 0) {
            // Also a time a little ahead of this server's clock (another instance's): it is today's.
            return then.toLocalDate().equals(now.toLocalDate()) ? "today " + HOUR.format(then) : date(instant);
        }
        if (days == 1) {
            return "yesterday " + HOUR.format(then);
        }
        if (days <= MAX_DAYS_AGO) {
            return days + " days ago";
        }
        return then.getYear() == now.getYear() ? DAY.format(then) : DAY_OF_YEAR.format(then);
    }

    /** The instant to the second with the zone's offset, e.g. 2026-12-06T14:51:07Z; "" for none. */
    public String exact(Instant instant) {
        if (instant == null) {
            return "";
        }
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                instant.truncatedTo(ChronoUnit.SECONDS).atZone(clock.getZone()).toOffsetDateTime());
    }

    /** A date and time a person plans by (a course's start), e.g. "1 Mar 2027 09:00"; "" for none. */
    public String date(Instant instant) {
        return instant == null ? "" : DAY_AND_HOUR.format(instant.atZone(clock.getZone()));
    }
}
