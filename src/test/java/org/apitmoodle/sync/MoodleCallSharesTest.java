package org.apitmoodle.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apitmoodle.moodle.CallsInFlight;
import org.apitmoodle.moodle.MoodleCall;
import org.junit.jupiter.api.Test;

/** Which share a Moodle call counts against, and what its answer says about Moodle's load. */
class MoodleCallSharesTest {

    private final AtomicLong now = new AtomicLong();
    private final CallsInFlight sync = new CallsInFlight("sync", 16, true, now::get);
    private final CallsInFlight grades = new CallsInFlight("grades", 2, true, now::get);
    private final MoodleCallShares shares = new MoodleCallShares(sync, grades);

    private Exchange call(Operation operation) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        if (operation != null) {
            exchange.setProperty("batch", Batch.of(operation, List.of(Map.of("delegate_id", 1L))));
        }
        exchange.setProperty("moodleCall", new MoodleCall("core_user_create_users", Map.of("users", List.of(1, 2))));
        return exchange;
    }

    @Test
    void theGradePollCountsAgainstItsOwnShare() {
        Exchange gradeCall = call(Operation.GRADES);
        Exchange userCall = call(Operation.USER);

        shares.start(gradeCall);
        shares.start(userCall);

        assertThat(grades.inFlight()).isEqualTo(1);
        assertThat(sync.inFlight()).isEqualTo(1);
    }

    @Test
    void aCallOutsideABatchIsNotLimited() {
        Exchange healthCheck = call(null);

        shares.start(healthCheck);
        shares.finish(healthCheck);

        assertThat(sync.inFlight()).isZero();
        assertThat(healthCheck.getProperty(MoodleCallShares.CALL)).isNull();
    }

    @Test
    void anAnswer503OrATimeoutSaysMoodleIsOverloaded() {
        Exchange unavailable = call(Operation.USER);
        shares.start(unavailable);
        unavailable.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
        shares.finish(unavailable);

        Exchange timedOut = call(Operation.USER);
        shares.start(timedOut);
        timedOut.setException(new RuntimeException(new SocketTimeoutException("Read timed out")));
        shares.finish(timedOut);

        Exchange answered = call(Operation.USER);
        shares.start(answered);
        answered.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        shares.finish(answered);

        assertThat(sync.overloads()).isEqualTo(2);
        assertThat(sync.inFlight()).isZero();
    }

    @Test
    void theKindOfACallIsItsFunctionAndRecords() {
        assertThat(MoodleCallShares.kind(new MoodleCall("core_user_create_users", Map.of("users", List.of(1, 2, 3)))))
                .isEqualTo("core_user_create_users#3");
        assertThat(MoodleCallShares.kind(MoodleCall.SITE_INFO)).isEqualTo("core_webservice_get_site_info#0");
    }
}
