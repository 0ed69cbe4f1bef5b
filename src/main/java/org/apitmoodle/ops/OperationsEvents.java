package org.apitmoodle.ops;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.EventNotifierSupport;
import org.apitmoodle.moodle.MoodleCall;

/**
 * Feeds {@link OperationsMetrics} from Camel's events, so the routes need no extra steps for it: the time of
 * every HTTP call that carries a moodleCall (the call-moodle route's), and the end of every poll whose route
 * id starts with the poll prefix. A failed Moodle call is timed too: a timeout is latency an operator should see.
 */
public final class OperationsEvents extends EventNotifierSupport {

    private final OperationsMetrics metrics;
    private final MoodleCalls moodleCalls;
    private final String pollRoutePrefix;

    public OperationsEvents(OperationsMetrics metrics, MoodleCalls moodleCalls, String pollRoutePrefix) {
        this.metrics = metrics;
        this.moodleCalls = moodleCalls;
        this.pollRoutePrefix = pollRoutePrefix;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSendingEvent || event instanceof CamelEvent.ExchangeSentEvent || event instanceof CamelEvent.ExchangeCompletedEvent
                || event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSendingEvent sending) {
            if (isMoodleCall(sending.getExchange(), sending.getEndpoint().getEndpointUri())) {
                moodleCalls.started();
            }
        } else if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            MoodleCall call = sent.getExchange().getProperty("moodleCall", MoodleCall.class);
            if (isMoodleCall(sent.getExchange(), sent.getEndpoint().getEndpointUri())) {
                metrics.moodleCall(call.function(), sent.getTimeTaken() * 1_000_000L);
                moodleCalls.finished(sent.getTimeTaken());
            }
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent completed) {
            Exchange exchange = completed.getExchange();
            String routeId = exchange.getFromRouteId();
            if (routeId != null && routeId.startsWith(pollRoutePrefix) && exchange.getException() == null) {
                metrics.pollSucceeded(routeId);
            }
        } else if (event instanceof CamelEvent.CamelContextStartedEvent started) {
            for (Route route : started.getContext().getRoutes()) {
                if (route.getRouteId().startsWith(pollRoutePrefix)) {
                    metrics.pollRoute(route.getRouteId());
                }
            }
        }
    }

    /** An HTTP call of call-moodle: its exchange carries the Moodle call. */
    private static boolean isMoodleCall(Exchange exchange, String endpointUri) {
        return exchange.getProperty("moodleCall", MoodleCall.class) != null && endpointUri.startsWith("http");
    }
}
