package dev.orcaj.tune;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An executor whose rungs finish only when the test completes them, in the order the test chooses. */
final class ScriptedExecutor implements TrialExecutor {
    record Pending(TrialRung rung, CompletableFuture<RungResult> future) {
        String key() { return rung.trialId() + "@" + rung.rung(); }
    }

    private final int parallelism;
    final LinkedBlockingQueue<Pending> submitted = new LinkedBlockingQueue<>();

    ScriptedExecutor(int parallelism) { this.parallelism = parallelism; }

    @Override
    public int parallelism() { return parallelism; }

    @Override
    public CompletableFuture<RungResult> submit(TrialRung rung) {
        CompletableFuture<RungResult> f = new CompletableFuture<>();
        submitted.add(new Pending(rung, f));
        return f;
    }

    Pending next(long millis) throws InterruptedException { return submitted.poll(millis, TimeUnit.MILLISECONDS); }

    @Override
    public void close() {}
}
