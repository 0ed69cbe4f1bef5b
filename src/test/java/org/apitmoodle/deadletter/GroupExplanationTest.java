package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupExplanationTest {

    @Test
    void theSharedSentenceIsShownOnceAndEachEntryAddsItsValue() {
        GroupExplanation explanation = GroupExplanation.of(List.of(
                "The user's email address 'judy@example' is not one Moodle accepts. Correct it in accessplanit, then replay.",
                "The user's email address 'june@x' is not one Moodle accepts. Correct it in accessplanit, then replay."),
                "invalidemail");

        assertThat(explanation.sentence()).isEqualTo(
                "The user's email address '…' is not one Moodle accepts. Correct it in accessplanit, then replay.");
        assertThat(explanation.details()).containsExactly("judy@example", "june@x");
    }

    @Test
    void aValueIsNeverCutInTheMiddleOfAWord() {
        GroupExplanation explanation = GroupExplanation.of(List.of(
                "The email address anna@example.org is already used by another Moodle account; replay once it is not.",
                "The email address anne@example.org is already used by another Moodle account; replay once it is not."),
                "emailtaken");

        assertThat(explanation.sentence()).isEqualTo(
                "The email address … is already used by another Moodle account; replay once it is not.");
        assertThat(explanation.details()).containsExactly("anna@example.org", "anne@example.org");
    }

    @Test
    void theSameMessageEverywhereIsTheExplanationAlone() {
        GroupExplanation explanation = GroupExplanation.of(List.of("The course has no start date.",
                "The course has no start date.", "The course has no start date."), "nostartdate");

        assertThat(explanation.sentence()).isEqualTo("The course has no start date.");
        assertThat(explanation.details()).containsExactly(null, null, null);
    }

    @Test
    void messagesThatShareTooLittleEachKeepTheirOwn() {
        GroupExplanation explanation = GroupExplanation.of(List.of("Moodle said no.", "Timeout after 30 s."), "x1");

        assertThat(explanation.sentence()).isEqualTo("These entries failed with error code x1; each says why.");
        assertThat(explanation.details()).containsExactly("Moodle said no.", "Timeout after 30 s.");
    }

    @Test
    void aMissingMessageIsNamedByItsCode() {
        assertThat(GroupExplanation.of(Arrays.asList((String) null), "x2").sentence())
                .isEqualTo("These entries failed with error code x2; each says why.");
    }
}
