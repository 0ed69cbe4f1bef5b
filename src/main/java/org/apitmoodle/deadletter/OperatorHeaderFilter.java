package org.apitmoodle.deadletter;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The header filter of the operators' server: Camel's HTTP one, except that it lets Cache-Control out. Camel's drops
 * Cache-Control from every answer (it takes it for a header of the exchange, not of the answer), so the
 * {@code no-store} the answers carry never reached the browser, which could then keep the dead-letter entries (names,
 * emails) and the page's token in its cache.
 */
public final class OperatorHeaderFilter extends HttpHeaderFilterStrategy {

    @Override
    protected void initialize() {
        super.initialize();
        getOutFilter().remove("cache-control");
    }
}
