package dev.orcaj.tune;

import java.util.concurrent.CompletableFuture;

/**
 * Where trial rungs run: threads on this machine ({@code local}) or a Spark cluster ({@code spark}, module orca-spark).
 * The ASHA scheduler stays on the caller's side and submits rungs asynchronously; several may be in flight. An
 * executor that loses a rung (a worker died) runs it again; the rung restarts from the trial's last checkpoint.
 */
public interface TrialExecutor extends AutoCloseable {
    /** How many rungs this executor runs at once (the scheduler keeps that many in flight). */
    int parallelism();

    CompletableFuture<RungResult> submit(TrialRung rung);

    @Override
    void close();
}
