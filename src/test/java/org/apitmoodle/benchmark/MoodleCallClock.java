package org.apitmoodle.benchmark;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Where the integration's wall time goes, seen from its side: how long at least one Moodle call was in flight
 * (so the rest of the wall time Moodle sat idle: polls, SQL, Camel), the summed duration of the Moodle calls
 * (the modelled cost plus HTTP and the emulator's own work), and the summed duration of the SQL statements.
 */
final class MoodleCallClock extends EventNotifierSupport {

    private long callsInFlight;
    private long busySince;
    private long busyNanos;
    private long moodleCallNanos;
    private long moodleCalls;
    private long sqlNanos;
    private long sqlStatements;

    MoodleCallClock() {
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent || event instanceof ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSendingEvent sending && isMoodle(sending.getEndpoint().getEndpointUri())) {
            synchronized (this) {
                if (callsInFlight++ == 0) {
                    busySince = System.nanoTime();
                }
            }
        } else if (event instanceof ExchangeSentEvent sent) {
            String uri = sent.getEndpoint().getEndpointUri();
            long nanos = sent.getTimeTaken() * 1_000_000;
            synchronized (this) {
                if (isMoodle(uri)) {
                    moodleCalls++;
                    moodleCallNanos += nanos;
                    if (--callsInFlight == 0) {
                        busyNanos += System.nanoTime() - busySince;
                    }
                } else if (uri.startsWith("sql:")) {
                    sqlStatements++;
                    sqlNanos += nanos;
                }
            }
        }
    }

    private static boolean isMoodle(String uri) {
        return uri.startsWith("http:") || uri.startsWith("https:");
    }

    synchronized long busyMillis() {
        return busyNanos / 1_000_000;
    }

    synchronized long moodleCallMillis() {
        return moodleCallNanos / 1_000_000;
    }

    synchronized long moodleCalls() {
        return moodleCalls;
    }

    synchronized long sqlMillis() {
        return sqlNanos / 1_000_000;
    }

    synchronized long sqlStatements() {
        return sqlStatements;
    }
}
