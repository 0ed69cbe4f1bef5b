package org.apitmoodle.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process Moodle 4.1 answering the REST web service at {@code url() + "/webservice/rest/server.php"} as the
 * recording site did: the same checks in the same order, the same answers, the same transactions. Requests are
 * served concurrently by a pool of workers, like PHP-FPM's, while the site's lock makes each call one transaction.
 *
 * <p>Besides the state ({@link #site()}), it offers fault injection and a latency model for resilience and load
 * tests, and a log of the calls received.
 */
public final class MoodleEmulator implements AutoCloseable {

    public static final String REST_PATH = "/webservice/rest/server.php";

    /** How many requests are served at once, like a PHP-FPM pool. */
    static final int WORKERS = 16;

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on: an answer's body then waits for the client's delayed
        // ACK, about 40 ms a call on Linux. A real Moodle's web server sends at once, and so does the emulator.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final System.Logger LOG = System.getLogger(MoodleEmulator.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MoodleSite site = new MoodleSite();
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
        Thread thread = new Thread(runnable, "moodle-emulator-worker");
        thread.setDaemon(true);
        return thread;
    });
    private final String token;
    private final Map<String, TokenProfile> otherTokens = new ConcurrentHashMap<>();
    private final List<RecordedCall> calls = new ArrayList<>();
    private final Map<String, AtomicInteger> responsesToLose = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> responsesToDelay = new ConcurrentHashMap<>();
    private final Map<String, Duration> functionDelays = new ConcurrentHashMap<>();
    private final AtomicLong modelledMillis = new AtomicLong();
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private final AtomicInteger mostCallsInFlight = new AtomicInteger();
    private final int port;
    private HttpServer server;
    private int failingCalls;
    private int failureStatus;
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile LatencyModel latency = LatencyModel.NONE;
    private volatile boolean tokenRevoked;

    private MoodleEmulator(int port, String token) {
        this.token = Objects.requireNonNull(token, "token");
        this.server = listen(port);
        this.port = server.getAddress().getPort();
    }

    /** Starts an emulated site on the port (0: any free port) whose one full-capability token is {@code token}. */
    public static MoodleEmulator start(int port, String token) {
        return new MoodleEmulator(port, token);
    }

    /** The site's address, e.g. {@code http://127.0.0.1:12345}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public MoodleSite site() {
        return site;
    }

    /** Gives another token to an account of the given profile (WEAK, NO_REST, NOT_AUTHORISED, or FULL for apit). */
    public void addToken(String token, TokenProfile profile) {
        site.serviceUser(profile);
        otherTokens.put(token, profile);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        workers.shutdownNow();
    }

    // ---- Fault injection ---------------------------------------------------------------------------------------

    /** The next {@code count} calls answer {@code httpStatus} with an HTML error page and change nothing. */
    public synchronized void failNextCalls(int count, int httpStatus) {
        failingCalls = count;
        failureStatus = httpStatus;
    }

    /** Every answer waits this long after the work is done. */
    public void setResponseDelay(Duration delay) {
        responseDelay = Objects.requireNonNull(delay, "delay");
    }

    /** The next {@code count} calls of the function are carried out and committed, then the connection is dropped. */
    public void loseNextResponses(String wsfunction, int count) {
        responsesToLose.computeIfAbsent(wsfunction, f -> new AtomicInteger()).set(count);
    }

    /** The next {@code count} calls of the function are carried out and committed, then answered after {@code delay}. */
    public void delayNextResponses(String wsfunction, int count, Duration delay) {
        functionDelays.put(wsfunction, Objects.requireNonNull(delay, "delay"));
        responsesToDelay.computeIfAbsent(wsfunction, f -> new AtomicInteger()).set(count);
    }

    /** The full-capability token answers invalidtoken until {@link #restoreToken()}. */
    public void revokeToken() {
        tokenRevoked = true;
    }

    public void restoreToken() {
        tokenRevoked = false;
    }

    /** The site stops listening: connections are refused until {@link #comeUp()}. */
    public synchronized void goDown() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** The site listens again on the same port. */
    public synchronized void comeUp() {
        if (server == null) {
            server = listen(port);
        }
    }

    // ---- Latency model -----------------------------------------------------------------------------------------

    public void setLatencyModel(LatencyModel model) {
        latency = Objects.requireNonNull(model, "model");
    }

    /** The most calls that were being served at the same moment so far. */
    public int mostCallsInFlight() {
        return mostCallsInFlight.get();
    }

    /** The modelled cost of every call received so far, in milliseconds. */
    public long modelledMillis() {
        return modelledMillis.get();
    }

    // ---- Call log ----------------------------------------------------------------------------------------------

    /** How many requests named this function, whatever their answer. */
    public int callCount(String wsfunction) {
        return callCounts().getOrDefault(wsfunction, 0);
    }

    public Map<String, Integer> callCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        calls().forEach(call -> counts.merge(call.wsfunction(), 1, Integer::sum));
        return counts;
    }

    /** Every request received, in order, wstoken removed. */
    public List<RecordedCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    // ---- Serving -----------------------------------------------------------------------------------------------

    private HttpServer listen(int wantedPort) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort);
        for (int attempt = 1; ; attempt++) {
            try {
                HttpServer http = HttpServer.create(address, 128);
                http.createContext("/", this::handle);
                http.setExecutor(workers);
                http.start();
                return http;
            } catch (BindException e) {
                if (attempt == 50) { // The port may linger for a moment after goDown().
                    throw new UncheckedIOException(e);
                }
                sleep(Duration.ofMillis(100));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        mostCallsInFlight.accumulateAndGet(callsInFlight.incrementAndGet(), Math::max);
        try {
            if (!exchange.getRequestURI().getPath().equals(REST_PATH)) {
                sendHtml(exchange, 404, "Not Found");
                return;
            }
            List<Map.Entry<String, String>> query = FormParameters.decode(exchange.getRequestURI().getRawQuery());
            List<Map.Entry<String, String>> body = FormParameters.decode(readBody(exchange.getRequestBody()));
            // The REST server reads array_merge($_GET, $_POST): a posted field wins over the query string's.
            Map<String, Object> parameters = FormParameters.toPhpArray(query);
            parameters.putAll(FormParameters.toPhpArray(body));
            String wsfunction = parameters.get("wsfunction") instanceof String name ? name : "";
            record(wsfunction, query, body);

            int injectedStatus = takeInjectedFailure();
            if (injectedStatus != 0) {
                pay(latency.cost(0, 0, 0));
                sendHtml(exchange, injectedStatus, "Service Unavailable");
                return;
            }
            boolean json = "json".equals(parameters.get("moodlewsrestformat"));
            Answer answer = serve(parameters);
            pay(latency.cost(answer.createdUsers(), answer.createdCourses(), answer.enrolments()));
            sleep(responseDelay);
            AtomicInteger delayed = responsesToDelay.get(wsfunction);
            if (delayed != null && delayed.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                sleep(functionDelays.get(wsfunction));
            }
            if (takeLostResponse(wsfunction)) {
                return; // Closing the exchange before any header drops the connection.
            }
            send(exchange, json, answer);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Emulator failure", e);
            sendHtml(exchange, 500, "Internal Server Error");
        } finally {
            callsInFlight.decrementAndGet();
            exchange.close();
        }
    }

    /** The result of a call: the value returned or the exception thrown, and what it created. */
    private record Answer(JsonNode result, MoodleException failure, int createdUsers, int createdCourses,
                          int enrolments) {
    }

    /** webservice_rest_server: authenticate the token, find the function, validate its parameters, run it. */
    private Answer serve(Map<String, Object> parameters) {
        Object wstoken = parameters.remove("wstoken");
        Object wsfunction = parameters.remove("wsfunction");
        parameters.remove("moodlewsrestformat");
        parameters.keySet().removeIf(name -> name.startsWith("moodlewssetting"));
        try {
            TokenProfile profile = wstoken instanceof String t ? profileOf(t) : null;
            if (profile == null) {
                throw MoodleException.invalidToken();
            }
            if (profile == TokenProfile.NO_REST || profile == TokenProfile.NOT_AUTHORISED) {
                throw MoodleException.accessException(profile == TokenProfile.NO_REST
                        ? "You don't have the permission to use the REST protocol"
                        : "Access to the external service is not allowed for this user");
            }
            if (!(wsfunction instanceof String name) || name.isEmpty()) {
                throw MoodleException.invalidParameter("Missing parameter wsfunction");
            }
            ExternalFunction function = MoodleService.offered(site).stream().filter(f -> f.name().equals(name))
                    .findFirst().orElseThrow(() -> MoodleService.exists(name)
                    ? MoodleException.accessException("Access to the function " + name + "() is not allowed.")
                    : MoodleException.missingRecord("external_functions"));
            Params params = new Params(function.parameters().validate(parameters));
            WsCall call = new WsCall(site, site.serviceUser(profile), profile, url(), params);
            JsonNode result = site.locked(() -> function.body().execute(call));
            return new Answer(result, null, call.createdUsers(), call.createdCourses(), call.enrolments());
        } catch (MoodleException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> wsfunction + ": " + e.errorcode() + " (" + e.debuginfo() + ")");
            return new Answer(null, e, 0, 0, 0);
        }
    }

    private TokenProfile profileOf(String wstoken) {
        if (wstoken.equals(token)) {
            return tokenRevoked ? null : TokenProfile.FULL;
        }
        return otherTokens.get(wstoken);
    }

    private void send(HttpExchange exchange, boolean json, Answer answer) throws IOException {
        String body;
        if (json) {
            body = answer.failure() == null ? write(answer.result()) : write(Json.object()
                    .put("exception", answer.failure().exception())
                    .put("errorcode", answer.failure().errorcode())
                    .put("message", answer.failure().getMessage()));
        } else {
            body = answer.failure() == null ? XmlResponse.success(answer.result())
                    : XmlResponse.exception(answer.failure());
        }
        send(exchange, 200, json ? "application/json" : "application/xml; charset=utf-8", body);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendHtml(HttpExchange exchange, int status, String title) throws IOException {
        send(exchange, status, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>" + status + " "
                + title + "</title></head><body><h1>" + title + "</h1></body></html>");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String readBody(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private void record(String wsfunction, List<Map.Entry<String, String>> query,
                        List<Map.Entry<String, String>> body) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        query.stream().filter(p -> !p.getKey().equals("wstoken")).forEach(params::add);
        body.stream().filter(p -> !p.getKey().equals("wstoken")).forEach(params::add);
        synchronized (calls) {
            calls.add(new RecordedCall(wsfunction, params));
        }
    }

    private synchronized int takeInjectedFailure() {
        if (failingCalls <= 0) {
            return 0;
        }
        failingCalls--;
        return failureStatus;
    }

    private boolean takeLostResponse(String wsfunction) {
        AtomicInteger remaining = responsesToLose.get(wsfunction);
        return remaining != null && remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    /** Spends the modelled time of a call, outside the site's lock, so calls overlap as on several PHP workers. */
    private void pay(Duration cost) {
        modelledMillis.addAndGet(cost.toMillis());
        sleep(cost);
    }

    private static void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
