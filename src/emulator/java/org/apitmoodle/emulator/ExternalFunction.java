package org.apitmoodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A web-service function: its name and version as core_webservice_get_site_info lists them, the description of its
 * parameters, and its body, which gets the parameters already validated against that description.
 */
record ExternalFunction(String name, String version, ExternalDescription.Single parameters, Body body) {

    @FunctionalInterface
    interface Body {
        JsonNode execute(WsCall call);
    }
}
