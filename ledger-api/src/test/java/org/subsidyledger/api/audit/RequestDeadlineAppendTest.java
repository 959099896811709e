package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.subsidyledger.api.overload.RequestDeadline;

/**
 * An append made for a request waits for the append lock no longer than the request has left, so the waits one request
 * meets in a row (its turn, the aggregate's lock, the append lock, a database lock) stay within its budget; a thread
 * serving no request waits the lock's own bound.
 */
class RequestDeadlineAppendTest {

    @AfterEach
    void noDeadlineLeftBehind() {
        RequestDeadline.clear();
    }

    @Test
    void anAppendWaitsOnlyWhatItsRequestHasLeft() throws Exception {
        AppendLock lock = new AppendLock(Duration.ofSeconds(2));
        CountDownLatch sealing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread seal = new Thread(() -> lock.exclusively(() -> {
            sealing.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
        seal.start();
        try {
            assertThat(sealing.await(10, TimeUnit.SECONDS)).isTrue();
            RequestDeadline.start(System.nanoTime(), Duration.ofMillis(300));
            boolean[] appended = {false};
            assertThatThrownBy(() -> lock.duringAppend(() -> appended[0] = true))
                    .isInstanceOf(AppendLock.Busy.class)
                    .hasMessageContaining("what its request had left");
            assertThat(appended[0]).as("nothing appended").isFalse();
            assertThat(RequestDeadline.waitAtMost(Duration.ofSeconds(2)))
                    .as("after the budget")
                    .isZero();

            RequestDeadline.clear();
            assertThat(RequestDeadline.waitAtMost(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        } finally {
            release.countDown();
            seal.join();
        }
    }

    @Test
    void aDeadlineFartherThanTheBoundLeavesTheBound() {
        RequestDeadline.start(System.nanoTime(), Duration.ofSeconds(60));
        assertThat(RequestDeadline.waitAtMost(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        RequestDeadline.start(System.nanoTime(), Duration.ofSeconds(1));
        assertThat(RequestDeadline.waitAtMost(Duration.ofSeconds(2)))
                .isLessThanOrEqualTo(Duration.ofSeconds(1))
                .isPositive();
    }
}
