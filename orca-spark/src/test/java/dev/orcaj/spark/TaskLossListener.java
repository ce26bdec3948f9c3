package dev.orcaj.spark;

import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts, in the driver, the tasks running now and the task attempts that ended other than successfully (an executor
 * lost mid-rung), for the cluster test; installed through {@code spark.extraListeners}.
 */
public final class TaskLossListener extends SparkListener {
    static final AtomicInteger RUNNING = new AtomicInteger(), FAILED = new AtomicInteger();

    @Override
    public void onTaskStart(SparkListenerTaskStart start) { RUNNING.incrementAndGet(); }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        RUNNING.decrementAndGet();
        if (end.reason() != Success$.MODULE$) FAILED.incrementAndGet();
    }
}
