package org.apitmoodle.moodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MoodleFormTest {

    @Test
    void encodesTheCallInMoodlesBracketForm() {
        Map<String, Object> alice = new LinkedHashMap<>();
        alice.put("username", "apit.7");
        alice.put("firstname", "Zoë");
        alice.put("email", "a+b@example.com");
        alice.put("idnumber", null);
        Map<String, Object> request = Map.of("users", List.of(alice));

        String body = new MoodleForm("s3cret").encode("core_user_create_users", request);

        assertThat(decoded(body)).containsExactly(
                "wstoken=s3cret",
                "wsfunction=core_user_create_users",
                "moodlewsrestformat=json",
                "users[0][username]=apit.7",
                "users[0][firstname]=Zoë",
                "users[0][email]=a+b@example.com");
        assertThat(body).contains("users%5B0%5D%5Busername%5D=apit.7").contains("a%2Bb%40example.com");
    }

    @Test
    void flattensListsOfValuesAndBooleans() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("field", "username");
        request.put("values", List.of("apit.1", "apit.2"));
        request.put("visible", true);

        assertThat(MoodleForm.fields(request)).extracting(e -> e.getKey() + "=" + e.getValue())
                .containsExactly("field=username", "values[0]=apit.1", "values[1]=apit.2", "visible=1");
    }

    private static List<String> decoded(String body) {
        return Arrays.stream(body.split("&")).map(field -> URLDecoder.decode(field, StandardCharsets.UTF_8)).toList();
    }
}
