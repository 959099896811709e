package org.subsidyledger.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Sends requests to the ledger in two ways.
 *
 * <p><b>Open model</b> ({@link #open}): requests are due at fixed instants ({@code rate} a second); each one's latency
 * is measured from the instant it was due, not from when it could be sent, so a stalled ledger cannot hide its stall
 * by slowing the sender down (no coordinated omission). Requests still unsent {@code drainLimit} after the phase are
 * not sent and count as failed, with the time they had waited as their latency.
 *
 * <p><b>Fixed concurrency</b> ({@link #closed}): {@code n} connections, each sending its next request when the
 * previous one is answered; latency from the actual send.
 */
final class Runner {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(20);

    private final HttpClient client;
    private final String baseUrl;

    Runner(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    record Phase(
            String name,
            String model,
            double offered,
            int concurrency,
            Duration planned,
            long elapsedMillis,
            long sent,
            long unsent,
            Tally tally) {
        double acceptedPerSecond() {
            return elapsedMillis == 0 ? 0 : tally.count("accepted") * 1000.0 / elapsedMillis;
        }
    }

    Phase open(String name, Supplier<Call> calls, double rate, Duration duration, int maxInFlight)
            throws InterruptedException {
        Tally tally = new Tally();
        Semaphore inFlight = new Semaphore(maxInFlight);
        long total = Math.round(rate * duration.toNanos() / 1e9);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long stopSending = start + duration.toNanos() + DRAIN_LIMIT.toNanos();
        AtomicLong lastDone = new AtomicLong(start);
        long sent = 0;
        long unsent = 0;
        for (long i = 0; i < total; i++) {
            long intended = start + Math.round(i * 1e9 / rate);
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (System.nanoTime() > stopSending
                    || !inFlight.tryAcquire(Math.max(0, stopSending - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                long now = System.nanoTime();
                for (long j = i; j < total; j++) {
                    long due = start + Math.round(j * 1e9 / rate);
                    tally.record("unsent", 0, Math.max(0, now - due) / 1000);
                }
                unsent = total - i;
                break;
            }
            sent++;
            send(calls.get(), intended, tally, lastDone).whenComplete((r, e) -> inFlight.release());
        }
        inFlight.tryAcquire(maxInFlight, REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        long elapsed = Math.max(duration.toMillis(), TimeUnit.NANOSECONDS.toMillis(lastDone.get() - start));
        return new Phase(name, "open", rate, maxInFlight, duration, elapsed, sent, unsent, tally);
    }

    Phase closed(String name, Supplier<Call> calls, int connections, Duration duration) throws InterruptedException {
        Tally tally = new Tally();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        AtomicLong sent = new AtomicLong();
        AtomicLong lastDone = new AtomicLong(start);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            Thread thread = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            sent.incrementAndGet();
                            send(calls.get(), System.nanoTime(), tally, lastDone)
                                    .join();
                        }
                    },
                    name + "-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(lastDone.get() - start);
        return new Phase(name, "closed", 0, connections, duration, elapsed, sent.get(), 0, tally);
    }

    private static void pause(long seconds) {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(1, Math.min(seconds, 5))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding", e);
        }
    }

    /** Sends the seed requests in order, a few at a time, resending after a 503, failing the run on any refusal. */
    void seed(List<Call> calls, int connections) throws InterruptedException {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            Thread thread = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < calls.size(); ) {
                    Call call = calls.get(i);
                    HttpResponse<String> response = sendNow(call);
                    // 503 OVERLOADED: nothing was committed; resend after Retry-After, as a client must
                    for (int retry = 0; retry < 30 && response != null && response.statusCode() == 503; retry++) {
                        pause(response.headers()
                                .firstValue("Retry-After")
                                .map(Long::parseLong)
                                .orElse(1L));
                        response = sendNow(call);
                    }
                    if (response == null || response.statusCode() >= 300) {
                        failures.add(call.method() + " " + call.path() + " -> "
                                + (response == null ? "no answer" : response.statusCode() + " " + response.body()));
                    } else if (call.onAccepted() != null) {
                        call.onAccepted().run();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " seed requests failed, first: " + failures.get(0));
        }
    }

    /** One request, answered synchronously; null when no answer came. */
    HttpResponse<String> sendNow(Call call) {
        try {
            return client.send(request(call), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private CompletableFuture<Void> send(Call call, long intended, Tally tally, AtomicLong lastDone) {
        return client.sendAsync(request(call), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    long now = System.nanoTime();
                    lastDone.accumulateAndGet(now, Math::max);
                    int status = error != null ? 0 : response.statusCode();
                    tally.record(call.kind(), status, (now - intended) / 1000);
                    if (status >= 200 && status < 300 && call.onAccepted() != null) {
                        call.onAccepted().run();
                    }
                    return null;
                });
    }

    private HttpRequest request(Call call) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + call.path()))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", call.authorization());
        if (call.body() != null) {
            builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call.body()));
        } else {
            builder.GET();
        }
        return builder.build();
    }
}
