package org.apitmoodle.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Set;
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

    /**
     * Threads taking requests: more than any latency model's workers plus backlog, so the model (not this pool)
     * decides who waits.
     */
    static final int THREADS = 128;

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
    private final ExecutorService workers = Executors.newFixedThreadPool(THREADS, runnable -> {
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
    private volatile Capacity capacity = new Capacity(LatencyModel.NONE);
    private final AtomicInteger turnedAway = new AtomicInteger();
    private volatile GeneratedGradeReports generatedReports;
    private volatile boolean tokenRevoked;
    private volatile boolean maintenance;
    private volatile boolean accountDeleted;
    private volatile boolean accountSuspended;
    private volatile boolean passwordExpired;
    private volatile boolean accountNoLogin;
    private volatile boolean passwordChangeForced;
    private final Set<String> outOfService = ConcurrentHashMap.newKeySet();
    private final Set<String> addedToService = ConcurrentHashMap.newKeySet();
    private volatile int maxInputVars = FormParameters.MAX_INPUT_VARS;
    private volatile long postMaxSize = Long.MAX_VALUE;
    private volatile long clientMaxBodySize = Long.MAX_VALUE;
    private volatile boolean debugging;

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

    // ---- What an administrator does to the site or the integration account (transcripts 258-279) -------------

    /** Debugging on ($CFG->debug DEVELOPER): error answers carry Moodle's debuginfo, as in the NNN-debug-* exchanges. */
    public void debugging(boolean on) {
        debugging = on;
    }

    /** Maintenance mode: every call with a valid token answers {@code sitemaintenance} and changes nothing. */
    public void maintenanceMode(boolean on) {
        maintenance = on;
    }

    /** The integration account suspended: every call answers {@code wsaccessusersuspended}. */
    public void suspendIntegrationAccount(boolean suspended) {
        accountSuspended = suspended;
    }

    /** The integration account marked deleted (its token kept): every call answers {@code wsaccessuserdeleted}. */
    public void deleteIntegrationAccount(boolean deleted) {
        accountDeleted = deleted;
    }

    /** The integration account's password expired (auth_manual expiration): {@code wsaccessuserexpired}. */
    public void expireIntegrationPassword(boolean expired) {
        passwordExpired = expired;
    }

    /** The integration account's authentication set to "No login": {@code wsaccessusernologin}. */
    public void integrationAccountNoLogin(boolean nologin) {
        accountNoLogin = nologin;
    }

    /**
     * The integration account must change its password: site info still answers (265), writes answer
     * {@code forcepasswordchangenotice} (266, 267), get_enrolled_users {@code errorcoursecontextnotvalid} (268).
     */
    public void forcePasswordChange(boolean forced) {
        passwordChangeForced = forced;
    }

    /** The function taken out of the integration's service: its calls answer {@code accessexception} (258). */
    public void removeFromService(String wsfunction) {
        outOfService.add(wsfunction);
    }

    public void restoreToService(String wsfunction) {
        outOfService.remove(wsfunction);
    }

    /**
     * Adds a function the emulator has beyond the first recording site's service (core_enrol_get_users_courses),
     * as an administrator adding it to the integration's service would. (Site info still lists the first site's.)
     */
    public void addToService(String wsfunction) {
        if (MoodleService.more(wsfunction).isEmpty()) {
            throw new IllegalArgumentException("The emulator has no function " + wsfunction + " to add");
        }
        addedToService.add(wsfunction);
    }

    /**
     * PHP's max_input_vars (5000 here unless set, as Moodle asks; PHP's default is 1000): the form fields past it
     * are dropped without an error, so Moodle may create part of a batch and answer success (277).
     */
    public void maxInputVars(int max) {
        maxInputVars = max;
    }

    /** PHP's post_max_size in bytes: a bigger body is dropped whole, so Moodle answers invalidtoken in XML (272). */
    public void postMaxSize(long bytes) {
        postMaxSize = bytes;
    }

    /** nginx's client_max_body_size in bytes: a bigger body is answered 413 by nginx itself (279). */
    public void clientMaxBodySize(long bytes) {
        clientMaxBodySize = bytes;
    }

    /** An answer given instead of running the function, by PHP, a proxy or Moodle's web-service layer. */
    private record InjectedRefusal(String wsfunction, String field, String fragment, int status, String contentType,
            String body) {
        boolean matches(String function, List<Map.Entry<String, String>> params) {
            return (wsfunction == null || wsfunction.equals(function)) && (fragment == null
                    || params.stream().anyMatch(p -> p.getValue() != null && (field == null
                    ? p.getValue().contains(fragment)
                    : p.getKey().endsWith("[" + field + "]") && p.getValue().equals(fragment))));
        }
    }

    private final List<InjectedRefusal> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Every call (site info too) is answered with this Moodle exception, as a real site answers while the
     * integration account is suspended (transcripts 260-261: wsaccessusersuspended), expired (271), or the site is
     * in maintenance (262-263: sitemaintenance), until {@link #clearRefusals()}. Nothing is run.
     */
    public void refuseEveryCall(String errorcode, String message) {
        refusals.add(new InjectedRefusal(null, null, null, 200, "application/json", write(Json.object()
                .put("exception", "moodle_exception").put("errorcode", errorcode).put("message", message))));
    }

    /**
     * Calls of {@code wsfunction} with a parameter value containing {@code fragment} (null: every call of it) are
     * answered with this status, content type and body instead of being run: e.g. HTTP 413 from nginx for one large
     * request (transcript 279), the XML invalidtoken of a body over post_max_size (272), a capability refused for
     * one course, until {@link #clearRefusals()}.
     */
    public void refuseCalls(String wsfunction, String fragment, int status, String contentType, String body) {
        refusals.add(new InjectedRefusal(wsfunction, null, fragment, status, contentType, body));
    }

    /**
     * Calls of {@code wsfunction} sending {@code value} in a field named {@code field} (e.g. {@code courseid} in
     * {@code enrolments[3][courseid]}) answer this Moodle exception: one course the account cannot reach
     * (transcript 097), one that was deleted (invalidrecord).
     */
    public void refuseCallsWhere(String wsfunction, String field, String value, String exception, String errorcode,
            String message) {
        refusals.add(new InjectedRefusal(wsfunction, field, value, 200, "application/json", write(Json.object()
                .put("exception", exception).put("errorcode", errorcode).put("message", message))));
    }

    /** Calls of {@code wsfunction} with a value containing {@code fragment} answer this Moodle exception (JSON). */
    public void refuseCalls(String wsfunction, String fragment, String exception, String errorcode, String message) {
        refuseCalls(wsfunction, fragment, 200, "application/json", write(Json.object()
                .put("exception", exception).put("errorcode", errorcode).put("message", message)));
    }

    public void clearRefusals() {
        refusals.clear();
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
        capacity = new Capacity(Objects.requireNonNull(model, "model"));
    }

    public LatencyModel latencyModel() {
        return capacity.model();
    }

    /** How many calls were answered 503 because every worker was busy and the backlog full. */
    public int callsTurnedAway() {
        return turnedAway.get();
    }

    /**
     * Grade reports of courses the site does not hold, generated on each call (for a benchmark of a million
     * delegates the site could not hold in memory); null: none.
     */
    public void generateGradeReports(GeneratedGradeReports reports) {
        generatedReports = reports;
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
        Capacity server = capacity;
        boolean worker;
        try {
            worker = server.takeWorker();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        if (!worker) {
            turnedAway.incrementAndGet();
            try {
                sendHtml(exchange, 503, "Service Unavailable");
            } finally {
                exchange.close();
            }
            return;
        }
        mostCallsInFlight.accumulateAndGet(callsInFlight.incrementAndGet(), Math::max);
        try {
            if (!exchange.getRequestURI().getPath().equals(REST_PATH)) {
                sendHtml(exchange, 404, "Not Found");
                return;
            }
            List<Map.Entry<String, String>> query = FormParameters.decode(exchange.getRequestURI().getRawQuery());
            String rawBody = readBody(exchange.getRequestBody());
            long bodyBytes = rawBody.getBytes(StandardCharsets.UTF_8).length;
            if (bodyBytes > clientMaxBodySize) {
                record("", query, List.of());
                send(exchange, 413, "text/html", NGINX_413);
                return;
            }
            // PHP drops a body over post_max_size whole (with only a warning in its log).
            List<Map.Entry<String, String>> body = bodyBytes > postMaxSize ? List.of() : FormParameters.decode(rawBody);
            // The REST server reads array_merge($_GET, $_POST): a posted field wins over the query string's.
            Map<String, Object> parameters = FormParameters.toPhpArray(query, maxInputVars);
            parameters.putAll(FormParameters.toPhpArray(body, maxInputVars));
            String wsfunction = parameters.get("wsfunction") instanceof String name ? name : "";
            record(wsfunction, query, body);

            List<Map.Entry<String, String>> sent = new ArrayList<>(query);
            sent.addAll(body);
            InjectedRefusal refusal = refusals.stream().filter(r -> r.matches(wsfunction, sent)).findFirst()
                    .orElse(null);
            if (refusal != null) {
                pay(server, LatencyModel.Work.NOTHING);
                send(exchange, refusal.status(), refusal.contentType(), refusal.body());
                return;
            }
            int injectedStatus = takeInjectedFailure();
            if (injectedStatus != 0) {
                pay(server, LatencyModel.Work.NOTHING);
                sendHtml(exchange, injectedStatus, "Service Unavailable");
                return;
            }
            boolean json = "json".equals(parameters.get("moodlewsrestformat"));
            Answer answer = serve(parameters, server);
            // A call that ran paid its time between its reads and its commit (see serve); any other pays it now.
            if (!answer.paid()) {
                pay(server, answer.work());
            }
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
            server.releaseWorker();
            exchange.close();
        }
    }

    /** What nginx answers itself for a body over client_max_body_size (transcript 279). */
    private static final String NGINX_413 = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n"
            + "<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n"
            + "</body>\r\n</html>\r\n";

    /** The result of a call: the value returned or the exception thrown, and what it created. */
    private record Answer(JsonNode result, MoodleException failure, LatencyModel.Work work, boolean paid) {
    }

    /** webservice_rest_server: authenticate the token, find the function, validate its parameters, run it. */
    private Answer serve(Map<String, Object> parameters, Capacity server) {
        Object wstoken = parameters.remove("wstoken");
        Object wsfunction = parameters.remove("wsfunction");
        parameters.remove("moodlewsrestformat");
        parameters.keySet().removeIf(name -> name.startsWith("moodlewssetting"));
        try {
            TokenProfile profile = wstoken instanceof String t ? profileOf(t) : null;
            if (profile == null) {
                throw MoodleException.invalidToken();
            }
            authenticateUser(profile);
            if (profile == TokenProfile.NO_REST || profile == TokenProfile.NOT_AUTHORISED) {
                throw MoodleException.accessException(profile == TokenProfile.NO_REST
                        ? "You don't have the permission to use the REST protocol"
                        : "Access to the external service is not allowed for this user");
            }
            if (!(wsfunction instanceof String name) || name.isEmpty()) {
                throw MoodleException.invalidParameter("Missing parameter wsfunction");
            }
            // A function a test added to the service (the second recording rig's, as the conformance tests replay
            // them) first; then what the site's service offers.
            ExternalFunction function = (addedToService.contains(name) ? MoodleService.more(name)
                    : MoodleService.offered(site).stream().filter(f -> f.name().equals(name)).findFirst())
                    .orElseThrow(() -> MoodleService.exists(name)
                    ? MoodleException.accessException("Access to the function " + name + "() is not allowed.")
                    : MoodleException.missingRecord("external_functions"));
            if (profile == TokenProfile.FULL && outOfService.contains(name)) {
                throw MoodleException.accessException("Access to the function " + name + "() is not allowed.");
            }
            Params params = new Params(function.parameters().validate(parameters));
            if (profile == TokenProfile.FULL && passwordChangeForced) {
                refuseForcedPasswordChange(name, params);
            }
            GeneratedGradeReports generated = generatedReports;
            if (generated != null && generated.answers(name, params)) {
                return new Answer(generated.answer(name, params), null, new LatencyModel.Work(0, 0, 0, 0, 0,
                        generated.reportedUsers(name, params)), false);
            }
            WsCall call = new WsCall(site, site.serviceUser(profile), profile, url(), params);
            if (function == CoreCourseExternal.DUPLICATE_COURSE) {
                // A copy is no one transaction: it writes as it goes and spends its modelled time between its steps
                // (the backup, then the restore), so its course is there before it answers.
                call.onSpend(spent -> pay(server, spent));
                return new Answer(function.body().execute(call), null, LatencyModel.Work.NOTHING, true);
            }
            // The call's modelled time passes between its reads and its commit, as on a real Moodle: two calls at
            // once both pass a uniqueness check before either has inserted.
            java.util.function.Supplier<LatencyModel.Work> work = () -> new LatencyModel.Work(
                    call.createdUsersWithPassword(), call.createdUsers() - call.createdUsersWithPassword(),
                    call.createdCourses(), call.enrolments(), name.contains("_get_") ? lookedUpValues(parameters) : 0,
                    call.reportedUsers());
            // A function that only reads (Moodle names them _get_) reads the site as committed, without a copy.
            JsonNode result = name.contains("_get_")
                    ? site.read(() -> function.body().execute(call), () -> pay(server, work.get()))
                    : site.call(() -> function.body().execute(call), () -> pay(server, work.get()));
            return new Answer(result, null, work.get(), true);
        } catch (MoodleException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> wsfunction + ": " + e.errorcode() + " (" + e.debuginfo() + ")");
            return new Answer(null, e, LatencyModel.Work.NOTHING, false);
        }
    }

    /**
     * webservice_server::authenticate_user() in Moodle 4.1's order: maintenance, then the integration account's
     * state (deleted, suspended, password expired, nologin).
     */
    private void authenticateUser(TokenProfile profile) {
        if (maintenance) {
            throw MoodleException.moodle("sitemaintenance",
                    "The site is undergoing maintenance and is currently not available");
        }
        if (profile != TokenProfile.FULL) {
            return;
        }
        String username = site.serviceUser(profile).username();
        if (accountDeleted) {
            throw MoodleException.moodle("wsaccessuserdeleted",
                    "Refused web service access for deleted username: " + username);
        }
        if (accountSuspended) {
            throw MoodleException.moodle("wsaccessusersuspended",
                    "Refused web service access for suspended username: " + username);
        }
        if (passwordExpired) {
            throw MoodleException.moodle("wsaccessuserexpired",
                    "Refused web service access for password expired username: " + username);
        }
        if (accountNoLogin) {
            throw MoodleException.moodle("wsaccessusernologin",
                    "Refused web service access for nologin authentication username: " + username);
        }
    }

    /** What a forced password change does to each function, as recorded (265-268). */
    private static void refuseForcedPasswordChange(String wsfunction, Params params) {
        switch (wsfunction) {
            case "core_webservice_get_site_info" -> {
            }
            case "core_enrol_get_enrolled_users" -> throw MoodleException.moodle("errorcoursecontextnotvalid",
                    "You cannot execute functions in the course context (course id:" + params.longValue("courseid")
                            + "). The context error message was: error/forcepasswordchangenotice");
            default -> throw MoodleException.moodle("forcepasswordchangenotice", "error/forcepasswordchangenotice");
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
            if (answer.failure() == null) {
                body = write(answer.result());
            } else {
                ObjectNode error = Json.object()
                        .put("exception", answer.failure().exception())
                        .put("errorcode", answer.failure().errorcode())
                        .put("message", answer.failure().getMessage());
                if (debugging && answer.failure().debuginfo() != null) {
                    error.put("debuginfo", answer.failure().debuginfo());
                }
                body = write(error);
            }
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

    /** The values a look-up asks for: core_user_get_users_by_field's values[], or a comma-separated value. */
    private static int lookedUpValues(Map<String, Object> parameters) {
        Object values = parameters.get("values");
        if (values instanceof Map<?, ?> map) {
            return map.size();
        }
        if (values instanceof List<?> list) {
            return list.size();
        }
        return parameters.get("value") instanceof String value && !value.isEmpty() ? value.split(",").length : 0;
    }

    /**
     * Spends the modelled time of a call, outside the site's lock, so calls overlap as on several PHP workers and
     * share the model's cores.
     */
    private void pay(Capacity server, LatencyModel.Work work) {
        modelledMillis.addAndGet(server.model().cost(work).toMillis());
        try {
            server.spend(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
