package org.subsidyledger.api.store;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The one background thread that takes aggregate snapshots, after the command that triggered them has committed and
 * been answered. Axon's default takes a snapshot on the committing request thread, which then reloads and serializes
 * the whole program before its answer is sent.
 *
 * <p>A snapshot runs in its own transaction. A program has at most one snapshot queued or running (Axon's snapshotter
 * drops a request for a program whose snapshot is in progress), so the queue never holds more tasks than there are
 * programs. A snapshot cut short by a shutdown rolls back; the next load reads the previous snapshot and the events
 * after it.
 */
public final class SnapshotThread implements DisposableBean {
    private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

    SnapshotThread() {
        executor.setThreadNamePrefix("program-snapshots-");
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setDaemon(true);
        executor.initialize();
    }

    Executor executor() {
        return executor;
    }

    /**
     * Waits until every snapshot scheduled before this call has been written (or failed), at most {@code timeout}:
     * for a process that schedules snapshots and then exits (the history generator).
     *
     * @return whether they all ended in time
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        try {
            // one thread: a task submitted now runs after every task submitted before it
            executor.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void destroy() {
        executor.shutdown();
    }
}
