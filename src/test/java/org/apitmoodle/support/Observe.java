package org.apitmoodle.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads Camel's management server (/observe/health, /observe/metrics) as an operator's probe would. */
public final class Observe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    public Observe(int port) {
        this.port = port;
    }

    /** A health answer: the HTTP status and the JSON. */
    public record Health(int httpStatus, JsonNode json) {

        public String status() {
            return json.path("status").asText();
        }

        /** The named check, or a missing node. */
        public JsonNode check(String name) {
            for (JsonNode check : json.path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return check;
                }
            }
            return JSON.missingNode();
        }
    }

    /** path: "", "/ready" or "/live"; with every check and its details. */
    public Health health(String path) {
        HttpResponse<String> response = get("/observe/health" + path + "?exposureLevel=full");
        try {
            return new Health(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + response.body(), e);
        }
    }

    public String metrics() {
        return get("/observe/metrics").body();
    }

    public HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
