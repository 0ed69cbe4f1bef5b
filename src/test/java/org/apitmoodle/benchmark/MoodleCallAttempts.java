package org.apitmoodle.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Every Moodle call the integration attempts, seen from its side: the moment it starts the HTTP call and the route
 * the call came from. A Moodle that is down records nothing (its connections are refused), so the calls it was
 * asked to take while down can only be counted here.
 */
final class MoodleCallAttempts extends EventNotifierSupport {

    /** One attempt: when it started (epoch milliseconds) and the route whose exchange made it. */
    record Attempt(long atMillis, String route) {
    }

    private final List<Attempt> attempts = new ArrayList<>();

    MoodleCallAttempts() {
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
        setIgnoreExchangeSentEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSendingEvent sending) {
            String uri = sending.getEndpoint().getEndpointUri();
            if (uri.startsWith("http:") || uri.startsWith("https:")) {
                long now = System.currentTimeMillis();
                String route = sending.getExchange().getFromRouteId();
                synchronized (attempts) {
                    attempts.add(new Attempt(now, route == null ? "?" : route));
                }
            }
        }
    }

    /** The attempts that started at or after {@code fromMillis} and before {@code untilMillis}, per route. */
    Map<String, Integer> between(long fromMillis, long untilMillis) {
        Map<String, Integer> perRoute = new LinkedHashMap<>();
        synchronized (attempts) {
            for (Attempt attempt : attempts) {
                if (attempt.atMillis() >= fromMillis && attempt.atMillis() < untilMillis) {
                    perRoute.merge(attempt.route(), 1, Integer::sum);
                }
            }
        }
        return perRoute;
    }

    /** Start times of the attempts in the window, in order. */
    List<Long> timesBetween(long fromMillis, long untilMillis) {
        synchronized (attempts) {
            return attempts.stream().map(Attempt::atMillis).filter(at -> at >= fromMillis && at < untilMillis).toList();
        }
    }
}
