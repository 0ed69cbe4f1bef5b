package org.apitmoodle.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.moodle.CallsInFlight;

/**
 * The emulator's capacity model ({@link LatencyModel}: workers, backlog, a wait without CPU, CPU time shared by the
 * cores) played out on a clock of its own, so that a limiter's decisions can be tested on modelled answer times, the
 * same on any machine however loaded. The emulator spends the same times in real sleeps; the benchmark measures
 * that.
 *
 * <p>A sync with always more work than calls in flight (a large first sync) sends a call whenever the limiter lets
 * one go; each is one of {@link #calls}, in turn. Nothing here sleeps: {@link #answer} moves the clock from one
 * event (a wait over, a call's CPU time spent) to the next.
 */
public final class ModelledMoodle {

    /** One kind of call: the limiter's kind ({@code function#records}) and the work Moodle does for it. */
    public record Kind(String name, LatencyModel.Work work) {
    }

    /** A user batch of 5 as the sync sends it: look the users up, create them (with a password), enrol them. */
    public static final List<Kind> USER_BATCH_OF_5 = List.of(
            new Kind("core_user_get_users_by_field#5", new LatencyModel.Work(0, 0, 0, 0, 5, 0)),
            new Kind("core_user_create_users#5", new LatencyModel.Work(5, 0, 0, 0, 0, 0)),
            new Kind("enrol_manual_enrol_users#5", new LatencyModel.Work(0, 0, 0, 5, 0, 0)));

    private final List<Kind> calls;
    private LatencyModel model;
    private long nowNanos;
    private int next;
    private final List<Call> holdingAWorker = new ArrayList<>();
    private final Deque<Call> waitingForAWorker = new ArrayDeque<>();
    private long turnedAway;
    private int mostWaitingForAWorker;

    public ModelledMoodle(LatencyModel model, List<Kind> calls) {
        if (!model.hasCapacity()) {
            throw new IllegalArgumentException("a model with capacity (cores and workers), not " + model.name());
        }
        this.model = model;
        this.calls = List.copyOf(calls);
    }

    /** The modelled time in nanoseconds: the limiter's clock. */
    public long nanoTime() {
        return nowNanos;
    }

    /** The same Moodle from now on with other cores and workers (calls in flight keep their remaining work). */
    public void become(LatencyModel model) {
        if (!model.hasCapacity()) {
            throw new IllegalArgumentException("a model with capacity (cores and workers), not " + model.name());
        }
        this.model = model;
        while (holdingAWorker.size() < model.workers() && !waitingForAWorker.isEmpty()) {
            start(waitingForAWorker.poll());
        }
    }

    /** Calls answered 503 at once: every worker busy and the backlog full. */
    public long turnedAway() {
        return turnedAway;
    }

    /** The most calls ever queued for a worker. */
    public int mostWaitingForAWorker() {
        return mostWaitingForAWorker;
    }

    /**
     * Sends calls as the limiter lets them go until {@code answers} calls were answered, each answer given to the
     * limiter (its time read on this clock). The limiter must be built on {@link #nanoTime}.
     */
    public void answer(CallsInFlight limiter, int answers) {
        int answered = 0;
        while (answered < answers) {
            while (limiter.inFlight() < limiter.limit()) {
                send(limiter);
            }
            answered += advanceToNextAnswers();
        }
    }

    private void send(CallsInFlight limiter) {
        Kind kind = calls.get(next++ % calls.size());
        Call call = new Call(kind, limiter.start(kind.name()));
        if (holdingAWorker.size() < model.workers()) {
            start(call);
        } else if (waitingForAWorker.size() < model.backlog()) {
            waitingForAWorker.add(call);
            mostWaitingForAWorker = Math.max(mostWaitingForAWorker, waitingForAWorker.size());
        } else {
            turnedAway++;
            // What the route does with a 503: Moodle said it is overloaded.
            call.inFlight.overloaded();
        }
    }

    private void start(Call call) {
        call.waitUntilNanos = nowNanos + model.perCallWait().toNanos();
        call.cpuNanosLeft = model.cpu(call.kind.work()).toNanos();
        holdingAWorker.add(call);
    }

    /** Moves the clock to the next event; returns how many calls it answered. */
    private int advanceToNextAnswers() {
        if (holdingAWorker.isEmpty()) {
            throw new IllegalStateException("no call in flight: the limiter let none go");
        }
        long onCpu = holdingAWorker.stream().filter(call -> call.waitUntilNanos <= nowNanos).count();
        // Processor sharing, as the emulator's slices: n calls on c cores each progress at min(1, c / n).
        double rate = onCpu == 0 ? 0 : Math.min(1.0, (double) model.cores() / onCpu);
        long step = Long.MAX_VALUE;
        for (Call call : holdingAWorker) {
            step = Math.min(step, call.waitUntilNanos > nowNanos ? call.waitUntilNanos - nowNanos
                    : (long) Math.ceil(call.cpuNanosLeft / rate));
        }
        step = Math.max(1, step);
        for (Call call : holdingAWorker) {
            if (call.waitUntilNanos <= nowNanos) {
                call.cpuNanosLeft -= step * rate;
            }
        }
        nowNanos += step;
        int answered = 0;
        for (Iterator<Call> calls = holdingAWorker.iterator(); calls.hasNext(); ) {
            Call call = calls.next();
            if (call.waitUntilNanos <= nowNanos && call.cpuNanosLeft < 1) {
                calls.remove();
                call.inFlight.answered(call.kind.name());
                answered++;
            }
        }
        while (holdingAWorker.size() < model.workers() && !waitingForAWorker.isEmpty()) {
            start(waitingForAWorker.poll());
        }
        return answered;
    }

    private static final class Call {

        private final Kind kind;
        private final CallsInFlight.Call inFlight;
        private long waitUntilNanos;
        private double cpuNanosLeft;

        private Call(Kind kind, CallsInFlight.Call inFlight) {
            this.kind = kind;
            this.inFlight = inFlight;
        }
    }
}
