package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ReadableTimesTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private final ReadableTimes times = new ReadableTimes(Clock.fixed(Instant.parse("2026-12-06T16:30:00Z"), LONDON));

    @Test
    void aTimeOfTodayOrYesterdayShowsTheHour() {
        assertThat(times.ago(Instant.parse("2026-12-06T14:51:30.123456Z"))).isEqualTo("today 14:51");
        assertThat(times.ago(Instant.parse("2026-12-06T00:00:00Z"))).isEqualTo("today 00:00");
        assertThat(times.ago(Instant.parse("2026-12-05T23:59:00Z"))).isEqualTo("yesterday 23:59");
        assertThat(times.ago(Instant.parse("2026-12-05T09:02:00Z"))).isEqualTo("yesterday 09:02");
    }

    @Test
    void earlierDaysAreCountedThenDated() {
        assertThat(times.ago(Instant.parse("2026-12-04T23:59:00Z"))).isEqualTo("2 days ago");
        assertThat(times.ago(Instant.parse("2026-12-03T08:00:00Z"))).isEqualTo("3 days ago");
        assertThat(times.ago(Instant.parse("2026-11-23T08:00:00Z"))).isEqualTo("13 days ago");
        assertThat(times.ago(Instant.parse("2026-11-22T08:00:00Z"))).isEqualTo("22 Nov");
        assertThat(times.ago(Instant.parse("2025-12-24T08:00:00Z"))).isEqualTo("24 Dec 2025");
    }

    @Test
    void daysAreTheClocksZonesDays() {
        // 23:30 UTC on 5 December is already 6 December in Berlin.
        ReadableTimes berlin = new ReadableTimes(Clock.fixed(Instant.parse("2026-12-06T16:30:00Z"), ZoneId.of("Europe/Berlin")));
        assertThat(berlin.ago(Instant.parse("2026-12-05T23:30:00Z"))).isEqualTo("today 00:30");
        assertThat(times.ago(Instant.parse("2026-12-05T23:30:00Z"))).isEqualTo("yesterday 23:30");
    }

    @Test
    void aTimeAheadOfTheClockIsStillReadable() {
        assertThat(times.ago(Instant.parse("2026-12-06T16:30:05Z"))).isEqualTo("today 16:30");
        assertThat(times.ago(Instant.parse("2026-12-08T10:00:00Z"))).isEqualTo("8 Dec 2026 10:00");
    }

    @Test
    void theExactTimeIsIsoToTheSecondWithTheOffset() {
        assertThat(times.exact(Instant.parse("2026-12-06T14:51:07.654321Z"))).isEqualTo("2026-12-06T14:51:07Z");
        assertThat(times.exact(Instant.parse("2026-07-01T14:51:07.5Z"))).isEqualTo("2026-07-01T15:51:07+01:00");
        assertThat(times.exact(null)).isEmpty();
        assertThat(times.ago(null)).isEmpty();
    }

    @Test
    void aCourseStartIsADateAndHour() {
        assertThat(times.date(Instant.parse("2027-03-01T09:00:00Z"))).isEqualTo("1 Mar 2027 09:00");
    }
}
