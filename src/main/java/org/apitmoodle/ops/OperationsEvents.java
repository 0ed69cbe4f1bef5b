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
    private final String pollRoutePrefix;

    public OperationsEvents(OperationsMetrics metrics, String pollRoutePrefix) {
        this.metrics = metrics;
        this.pollRoutePrefix = pollRoutePrefix;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSentEvent || event instanceof CamelEvent.ExchangeCompletedEvent
                || event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            MoodleCall call = sent.getExchange().getProperty("moodleCall", MoodleCall.class);
            if (call != null && sent.getEndpoint().getEndpointUri().startsWith("http")) {
                metrics.moodleCall(call.function(), sent.getTimeTaken() * 1_000_000L);
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
}
