package org.apitmoodle.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apitmoodle.moodle.MoodleConfigurationException;
import org.apitmoodle.moodle.MoodleUnavailableException;
import org.apitmoodle.sync.Pipeline.Verdict;
import org.junit.jupiter.api.Test;

/** How a batch's failure that is not its data is judged: by the failure, then by asking Moodle who we are. */
class PipelineTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final SyncPause pause = new SyncPause(1);
    private final Pipeline pipeline = new Pipeline(pause, 60_000);

    @Test
    void aRefusedAccountPausesWithoutAProbe() throws Exception {
        Exchange failed = failed(BatchTest.userBatch(1, 2), new MoodleConfigurationException("accessexception",
                "Access control exception", true, null));

        assertThat(pipeline.judge(failed)).isEqualTo(Verdict.PAUSE);
        assertThat(pause.isPaused()).isTrue();
    }

    @Test
    void noAnswerToTheProbePausesAndKeepsTheBatchsOwnFailure() throws Exception {
        MoodleUnavailableException down = new MoodleUnavailableException("http503", "Service unavailable");
        Exchange failed = failed(BatchTest.userBatch(1, 2), down);

        assertThat(pipeline.judge(failed)).isEqualTo(Verdict.PROBE);
        // The probe failed too: the route caught its failure on the way.
        failed.setProperty(Exchange.EXCEPTION_CAUGHT, new MoodleUnavailableException("http503", "probe"));
        failed.setProperty("moodleAnswers", false);

        assertThat(pipeline.judgeByProbe(failed, false)).isEqualTo(Verdict.PAUSE);
        assertThat(failed.getProperty(Exchange.EXCEPTION_CAUGHT)).isSameAs(down);
        assertThat(pause.reason()).contains("Service unavailable");
    }

    @Test
    void aCallRefusedWhileMoodleAnswersTheProbeIsSplitThenDeadLetteredAlone() throws Exception {
        MoodleConfigurationException notOffered = new MoodleConfigurationException("accessexception",
                "Access control exception", false, null);
        Exchange two = failed(BatchTest.userBatch(1, 2), notOffered);
        assertThat(pipeline.judge(two)).isEqualTo(Verdict.PROBE);
        assertThat(pipeline.judgeByProbe(two, true)).isEqualTo(Verdict.SPLIT);

        Exchange one = failed(BatchTest.userBatch(1), notOffered);
        assertThat(pipeline.judge(one)).isEqualTo(Verdict.PROBE);
        assertThat(pipeline.judgeByProbe(one, true)).isEqualTo(Verdict.DEAD_LETTER);
        assertThat(pause.isPaused()).isFalse();
    }

    @Test
    void aBatchFailingBesideAnotherWaitsForItsProbeAndIsReleasedWhenItPaused() throws Exception {
        MoodleUnavailableException down = new MoodleUnavailableException("http503", "Service unavailable");
        Exchange first = failed(BatchTest.userBatch(1), down);
        Exchange second = failed(BatchTest.userBatch(2), down);
        assertThat(pipeline.judge(first)).isEqualTo(Verdict.PROBE);

        CompletableFuture<Verdict> judged = CompletableFuture.supplyAsync(() -> {
            try {
                return pipeline.judge(second);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // Still waiting for the first batch's probe.
        assertThat(judged).isNotDone();
        assertThat(pipeline.judgeByProbe(first, false)).isEqualTo(Verdict.PAUSE);

        assertThat(judged.get(90, TimeUnit.SECONDS)).isEqualTo(Verdict.RELEASE);
    }

    private Exchange failed(Batch batch, Throwable failure) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("batch", batch);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
    }
}
