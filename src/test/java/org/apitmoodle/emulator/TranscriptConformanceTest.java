package org.apitmoodle.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays, in order, the 144 exchanges recorded against a real Moodle 4.1 (src/test/resources/moodle-transcripts)
 * against one fresh emulator and checks that it answers alike: the same error code, exception and message; the
 * same warning codes; XML where Moodle answered XML; otherwise a success of the same shape (same JSON types, same
 * keys at every level, same array lengths), ids and timestamps aside. Exchanges 127-144 were recorded with
 * debugging on, so for them only the error code and exception are compared.
 */
class TranscriptConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FULL_TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    static final String WEAK_TOKEN = "weak0000000000000000000000000000";
    static final String NOREST_TOKEN = "norest00000000000000000000000000";
    static final String UNAUTH_TOKEN = "unauth00000000000000000000000000";
    static final String UNKNOWN_TOKEN = "ffffffffffffffffffffffffffffffff";
    private static final String COMPLIANT_PASSWORD = "Rig-Passw0rd!";
    private static final int FIRST_DEBUG_EXCHANGE = 127;
    private static final Pattern ERRORCODE = Pattern.compile("<ERRORCODE>(.*?)</ERRORCODE>");
    private static final Pattern REPEATED = Pattern.compile("<(\\d+) characters: '(.)' repeated \\(not stored here\\)>");

    /**
     * What the recording site's administrator changed outside the web service, applied before the exchange with
     * that number. The API cannot do any of it: the service role losing moodle/site:viewuseridentity for 073-074,
     * grading, setting up completion, and the completion cron.
     */
    private static final Map<String, Consumer<MoodleSite>> SITE_CHANGES_BEFORE = Map.of(
            "073", site -> site.setViewUserIdentity(false),
            "075", site -> site.setViewUserIdentity(true),
            "107", site -> {
                site.addManualGradeItem(course(site, "APIT-101"), "Final assessment", "APIT-FINAL");
                site.addManualGradeItem(course(site, "APIT-102"), "Final assessment", "APIT-FINAL");
                site.setGrade(course(site, "APIT-101"), user(site, "apit.alice"), 85.0);
            },
            "116", site -> {
                // APIT-101 was created with completion off; APIT-102 got the criterion "course grade >= 50".
                site.setCourseCompletionMode(course(site, "APIT-103"), CompletionMode.NO_CRITERIA);
                site.setGrade(course(site, "APIT-102"), user(site, "apit.alice"), 85.0);
                site.setGrade(course(site, "APIT-102"), user(site, "apit.bob"), 30.0);
            },
            "119", site -> site.setCompletion(course(site, "APIT-102"), user(site, "apit.alice"), false,
                    MoodleSite.now()),
            "120", site -> site.setCompletion(course(site, "APIT-102"), user(site, "apit.alice"), true,
                    MoodleSite.now()));

    private static MoodleEmulator emulator;
    /** Shared with {@link TranscriptConformanceRig2Test}, which may run first or alone. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startFreshSite() {
        emulator = MoodleEmulator.start(0, FULL_TOKEN);
        // Transcripts 001-144 were recorded against the first rig's service.
        emulator.site().setFirstRigService(true);
        emulator.addToken(WEAK_TOKEN, TokenProfile.WEAK);
        emulator.addToken(NOREST_TOKEN, TokenProfile.NO_REST);
        emulator.addToken(UNAUTH_TOKEN, TokenProfile.NOT_AUTHORISED);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedExchangeIsAnsweredAlike() {
        List<String> files = transcriptFiles().stream().filter(f -> Integer.parseInt(f.substring(0, 3)) <= 144)
                .toList();
        assertThat(files).hasSize(144);
        return files.stream().map(file -> dynamicTest(file, () -> {
            JsonNode transcript = readTranscript(file);
            String number = file.substring(0, 3);
            if (SITE_CHANGES_BEFORE.containsKey(number)) {
                SITE_CHANGES_BEFORE.get(number).accept(emulator.site());
            }
            HttpResponse<String> response = replay(emulator, transcript);
            List<String> mismatches = compare(transcript, response, Integer.parseInt(number) >= FIRST_DEBUG_EXCHANGE);
            assertThat(mismatches).as("%s: emulator answered %s", file, response.body()).isEmpty();
        }));
    }

    // ---- Replaying ---------------------------------------------------------------------------------------------

    static HttpResponse<String> replay(MoodleEmulator emulator, JsonNode transcript)
            throws IOException, InterruptedException {
        JsonNode request = transcript.get("request");
        String token = tokenFor(request.get("token_used").asText(""));
        List<String> fields = new ArrayList<>();
        for (JsonNode param : request.get("params")) {
            String name = param.get(0).asText();
            String value = param.get(1).asText();
            if (name.equals("wstoken")) {
                value = token;
            } else if (value.startsWith("<PASSWORD: policy-compliant>")) {
                value = COMPLIANT_PASSWORD;
            } else if (value.startsWith("<PASSWORD: weak, \"abc\">")) {
                value = "abc";
            } else {
                // A value too big to store, e.g. "<2097152 characters: 'x' repeated (not stored here)>".
                Matcher repeated = REPEATED.matcher(value);
                if (repeated.matches()) {
                    value = repeated.group(2).repeat(Integer.parseInt(repeated.group(1)));
                }
            }
            fields.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        String form = String.join("&", fields);
        String endpoint = emulator.url() + MoodleEmulator.REST_PATH;
        HttpRequest.Builder builder = request.get("method").asText().equals("GET")
                ? HttpRequest.newBuilder(URI.create(endpoint + "?" + form)).GET()
                : HttpRequest.newBuilder(URI.create(endpoint))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** token_used reads e.g. "MOODLE_WEAK_TOKEN - apitweak: ..."; null when no token was sent. */
    private static String tokenFor(String tokenUsed) {
        String kind = tokenUsed.split(" ")[0];
        return switch (kind) {
            case "MOODLE_TOKEN" -> FULL_TOKEN;
            case "MOODLE_WEAK_TOKEN" -> WEAK_TOKEN;
            case "MOODLE_NOREST_TOKEN" -> NOREST_TOKEN;
            case "MOODLE_UNAUTH_TOKEN" -> UNAUTH_TOKEN;
            default -> UNKNOWN_TOKEN;
        };
    }

    // ---- Comparing ---------------------------------------------------------------------------------------------

    static List<String> compare(JsonNode transcript, HttpResponse<String> response, boolean debugOn)
            throws IOException {
        List<String> mismatches = new ArrayList<>();
        if (response.statusCode() != transcript.get("response_status").asInt()) {
            mismatches.add("HTTP status " + response.statusCode());
        }
        if (transcript.get("response_content_type").asText().startsWith("text/html")) {
            // An answer of the web server itself (nginx's 413, PHP's 500): its status and kind.
            if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
                mismatches.add("HTML expected");
            }
            return mismatches;
        }
        String recordedBody = transcript.get("response_body").asText();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (transcript.get("response_content_type").asText().startsWith("application/xml")) {
            if (!contentType.startsWith("application/xml") || !response.body().startsWith("<?xml")) {
                mismatches.add("XML expected, got " + contentType);
            }
            Matcher recordedCode = ERRORCODE.matcher(recordedBody);
            Matcher actualCode = ERRORCODE.matcher(response.body());
            if (recordedCode.find() && (!actualCode.find() || !actualCode.group(1).equals(recordedCode.group(1)))) {
                mismatches.add("ERRORCODE should be " + recordedCode.group(1));
            }
            return mismatches;
        }
        if (!contentType.startsWith("application/json")) {
            mismatches.add("JSON expected, got " + contentType);
            return mismatches;
        }
        JsonNode recorded = JSON.readTree(recordedBody);
        JsonNode actual = JSON.readTree(response.body());
        if (recorded.has("errorcode")) {
            for (String key : debugOn ? List.of("errorcode", "exception") : List.of("errorcode", "exception", "message")) {
                if (!actual.path(key).asText().equals(recorded.get(key).asText())) {
                    mismatches.add(key + " should be '" + recorded.get(key).asText() + "' but is '"
                            + actual.path(key).asText(null) + "'");
                }
            }
            return mismatches;
        }
        if (recorded.path("warnings").size() > 0) {
            List<String> recordedCodes = warningcodes(recorded);
            List<String> actualCodes = warningcodes(actual);
            if (!recordedCodes.equals(actualCodes)) {
                mismatches.add("warningcodes should be " + recordedCodes + " but are " + actualCodes);
            }
        }
        compareShape(recorded, actual, "$", mismatches);
        return mismatches;
    }

    private static List<String> warningcodes(JsonNode answer) {
        List<String> codes = new ArrayList<>();
        answer.path("warnings").forEach(w -> codes.add(w.path("warningcode").asText() + ": "
                + w.path("message").asText()));
        return codes;
    }

    /** Same JSON type everywhere, same keys in every object, same length of every array. */
    private static void compareShape(JsonNode recorded, JsonNode actual, String path, List<String> mismatches) {
        if (recorded.getNodeType() != actual.getNodeType()) {
            mismatches.add(path + " is " + actual.getNodeType() + ", recorded " + recorded.getNodeType());
            return;
        }
        if (recorded.isObject()) {
            Set<String> recordedKeys = keys(recorded);
            Set<String> actualKeys = keys(actual);
            if (!recordedKeys.equals(actualKeys)) {
                mismatches.add(path + " has keys " + actualKeys + ", recorded " + recordedKeys);
            }
            recordedKeys.stream().filter(actualKeys::contains)
                    .forEach(key -> compareShape(recorded.get(key), actual.get(key), path + "." + key, mismatches));
        } else if (recorded.isArray()) {
            if (recorded.size() != actual.size()) {
                mismatches.add(path + " has " + actual.size() + " elements, recorded " + recorded.size());
            }
            for (int i = 0; i < Math.min(recorded.size(), actual.size()); i++) {
                compareShape(recorded.get(i), actual.get(i), path + "[" + i + "]", mismatches);
            }
        }
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            keys.add(names.next());
        }
        return keys;
    }

    // ---- Transcripts -------------------------------------------------------------------------------------------

    /** The files INDEX.md lists, in its (recording) order. */
    static List<String> transcriptFiles() {
        Pattern row = Pattern.compile("^\\| (\\d{3}-[^ |]+\\.json) \\|");
        return resource("INDEX.md").lines().map(row::matcher).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.toList());
    }

    static JsonNode readTranscript(String file) throws IOException {
        return JSON.readTree(resource(file));
    }

    private static String resource(String name) {
        try (InputStream in = TranscriptConformanceTest.class.getResourceAsStream("/moodle-transcripts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource moodle-transcripts/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long course(MoodleSite site, String shortname) {
        return site.courseByShortname(shortname).orElseThrow().id();
    }

    private static long user(MoodleSite site, String username) {
        return site.userByUsername(username).orElseThrow().id();
    }
}
