package org.subsidyledger.drills;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.subsidyledger.core.shared.Uscc;

/**
 * Many concurrent clients (a closed model: each client sends its next command when the previous one is answered)
 * issuing compute vouchers in a few shared, hot programs and redeeming their own vouchers. Each client behaves as SPEC
 * §11 asks of a client: every command carries an {@code Idempotency-Key} (its own id); on {@code 503} it waits for
 * {@code Retry-After} and sends the same request again, on a timeout or a broken connection it sends it again (to the
 * next node when there are several) until an answer comes or two minutes have passed. Every attempt and every
 * command's final answer is recorded, so the checks can compare what was acknowledged with what was stored.
 */
final class Load {
    /** A client gives a command up after this long without an acknowledgement (it then counts as unanswered). */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    static final int IO_ERROR = -1;
    static final int TIMEOUT = -2;

    enum Kind {
        ISSUE,
        REDEEM
    }

    /** One HTTP request: which command, to which node, when, and what came back (a status, or IO_ERROR/TIMEOUT). */
    record Attempt(String commandId, int node, long sentNanos, long answeredNanos, int status, String code) {
        long latencyMillis() {
            return TimeUnit.NANOSECONDS.toMillis(answeredNanos - sentNanos);
        }
    }

    /** A command's final outcome: acknowledged (2xx or 422, committed or refused for good) or not. */
    record Outcome(String id, Kind kind, String programId, String voucherId, int status, String code, int attempts) {
        boolean acknowledged() {
            return (status >= 200 && status < 300) || status == 422 || doneBefore();
        }

        boolean committed() {
            return (status >= 200 && status < 300) || doneBefore();
        }

        /**
         * A retried command refused because its own earlier attempt had committed (the id or the invoice is taken):
         * the earlier attempt's answer was lost with the connection, the command is in the log.
         */
        boolean doneBefore() {
            return attempts > 1 && (code.equals("ALREADY_EXISTS") || code.equals("DUPLICATE_INVOICE"));
        }
    }

    private final LedgerClient client;
    private final List<URI> nodes;
    private final List<String> programs;
    private final int clients;
    private final long seed;
    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final AtomicInteger beneficiaries = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> crashes = new ConcurrentLinkedQueue<>();
    private volatile long stopAt;
    final long startNanos = System.nanoTime();
    /** Requests sent from here on are measured (latency, answers); those before it warmed the ledger up. */
    private volatile long measureFrom = startNanos;

    private volatile int warmUpClients;
    private volatile long joinAt = startNanos;

    Load(LedgerClient client, List<URI> nodes, List<String> programs, int clients, long seed) {
        this.client = client;
        this.nodes = List.copyOf(nodes);
        this.programs = List.copyOf(programs);
        this.clients = clients;
        this.seed = seed;
    }

    int clients() {
        return clients;
    }

    /** Starts the clients; they send new commands for {@code duration}. */
    Load start(Duration duration) {
        return warmUpThenStart(Duration.ZERO, clients, Duration.ZERO, duration);
    }

    /**
     * First {@code warmUpClients} of the clients send commands for {@code warmUp} (a ledger that has just started
     * compiles its code while it serves: a running ledger meets a burst warm); the others join {@code joinBefore} before
     * the warm-up ends, so that the measured {@code duration} starts with all of them running.
     * Latencies and answers are measured from the end of the warm-up; every command of both phases is checked
     * against the log.
     */
    Load warmUpThenStart(Duration warmUp, int warmUpClients, Duration joinBefore, Duration duration) {
        this.warmUpClients = warmUpClients;
        measureFrom = System.nanoTime() + warmUp.toNanos();
        joinAt = measureFrom - joinBefore.toNanos();
        stopAt = measureFrom + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread thread = new Thread(
                    () -> {
                        try {
                            run(client);
                        } catch (Throwable t) {
                            crashes.add(t);
                        }
                    },
                    "drill-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Waits until every client has its last command answered (or given up). */
    void awaitEnd() {
        for (Thread thread : threads) {
            try {
                thread.join(GIVE_UP_AFTER.plusMinutes(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " never finished its last command");
            }
        }
        if (!crashes.isEmpty()) {
            AssertionError error = new AssertionError("a client crashed: " + crashes.peek(), crashes.peek());
            crashes.forEach(error::addSuppressed);
            throw error;
        }
    }

    private void run(int clientNo) throws InterruptedException {
        if (clientNo >= warmUpClients) {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, joinAt - System.nanoTime()));
        }
        Random random = new Random(seed * 1_000 + clientNo);
        List<String> vouchers = new ArrayList<>();
        int n = 0;
        while (System.nanoTime() < stopAt) {
            n++;
            if (vouchers.isEmpty() || random.nextInt(100) < 40) {
                String voucherId = "v-" + seed + "-" + clientNo + "-" + n;
                String programId = programs.get(random.nextInt(programs.size()));
                String body = issue(voucherId, beneficiary(), (2000 + random.nextInt(3000)) + ".00");
                Outcome outcome = execute(
                        clientNo,
                        Kind.ISSUE,
                        voucherId,
                        programId,
                        voucherId,
                        "/api/v1/programs/" + programId + "/vouchers",
                        body);
                if (outcome.committed()) {
                    vouchers.add(voucherId);
                }
            } else {
                String voucherId = vouchers.get(random.nextInt(vouchers.size()));
                String redemptionId = "r-" + seed + "-" + clientNo + "-" + n;
                String body = redeem(
                        redemptionId,
                        "c-" + voucherId,
                        "inv-" + redemptionId,
                        Workload.PROVIDER,
                        (1000 + random.nextInt(3000)) + ".00");
                Outcome outcome = execute(
                        clientNo,
                        Kind.REDEEM,
                        redemptionId,
                        null,
                        voucherId,
                        "/api/v1/vouchers/" + voucherId + "/compute-redemptions",
                        body);
                if (outcome.status() == 422) {
                    vouchers.remove(voucherId); // exhausted: the client stops using it
                }
            }
        }
    }

    private Outcome execute(
            int clientNo, Kind kind, String id, String programId, String voucherId, String path, String body)
            throws InterruptedException {
        int node = clientNo % nodes.size();
        long first = System.nanoTime();
        int tries = 0;
        while (true) {
            tries++;
            long sent = System.nanoTime();
            int status;
            String code = "";
            long wait;
            try {
                LedgerClient.Answer answer = client.post(nodes.get(node), path, body, id);
                status = answer.status();
                code = answer.code();
                wait = 0;
                if (status == 503) {
                    long seconds = answer.retryAfter().map(Load::seconds).orElse(1L);
                    wait = Math.max(100, Math.min(1000, seconds * 1000));
                } else if (status == 409 && "IDEMPOTENCY_IN_PROGRESS".equals(code)) {
                    wait = 200;
                } else if (status >= 500) {
                    wait = 250;
                }
            } catch (HttpTimeoutException e) {
                status = TIMEOUT;
                wait = 250;
            } catch (IOException e) {
                status = IO_ERROR;
                wait = 250;
                node = (node + 1) % nodes.size(); // a load balancer would send the retry elsewhere
            }
            long answered = System.nanoTime();
            attempts.add(new Attempt(id, node, sent, answered, status, code));
            if (status > 0 && sent >= measureFrom) {
                latencyMicros.recordValue(Math.min(
                        latencyMicros.getHighestTrackableValue(), TimeUnit.NANOSECONDS.toMicros(answered - sent)));
            }
            boolean finalAnswer = status > 0 && wait == 0;
            if (finalAnswer || answered - first > GIVE_UP_AFTER.toNanos()) {
                Outcome outcome = new Outcome(id, kind, programId, voucherId, status, code, tries);
                outcomes.add(outcome);
                return outcome;
            }
            Thread.sleep(wait);
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private String beneficiary() {
        // a new firm for every voucher keeps the per-beneficiary cap out of the way; "91" + 10 + 5 digits + check
        int n = beneficiaries.incrementAndGet();
        String first17 = String.format("91330100%04d%05d", seed % 10_000, n % 100_000);
        return first17 + Uscc.checkCharacter(first17);
    }

    /** Every request, the warm-up's included. */
    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The requests sent after the warm-up (all of them when there was none): what the drill's figures measure. */
    List<Attempt> measuredAttempts() {
        return attempts.stream().filter(a -> a.sentNanos() >= measureFrom).toList();
    }

    /** The requests of the warm-up. */
    List<Attempt> warmUpAttempts() {
        return attempts.stream().filter(a -> a.sentNanos() < measureFrom).toList();
    }

    long measureFromNanos() {
        return measureFrom;
    }

    int warmUpClients() {
        return warmUpClients;
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    Histogram latencies() {
        return latencyMicros.copy();
    }

    /** The time from {@code since} until the first acknowledged answer after it, in ms (-1: none came). */
    long recoveryMillis(long sinceNanos) {
        return attempts.stream()
                .filter(a -> a.answeredNanos() >= sinceNanos && (a.status() / 100 == 2 || a.status() == 422))
                .mapToLong(a -> TimeUnit.NANOSECONDS.toMillis(a.answeredNanos() - sinceNanos))
                .min()
                .orElse(-1);
    }

    /** The slowest answer to a request sent between the two instants, in ms. */
    long maxLatencyMillis(long fromNanos, long toNanos) {
        return attempts.stream()
                .filter(a -> a.sentNanos() >= fromNanos && a.sentNanos() <= toNanos && a.status() > 0)
                .mapToLong(Attempt::latencyMillis)
                .max()
                .orElse(0);
    }

    /** The slowest request sent between the two instants, described: latency, answer, command. */
    String slowest(long fromNanos, long toNanos) {
        return attempts.stream()
                .filter(a -> a.sentNanos() >= fromNanos && a.sentNanos() <= toNanos && a.status() > 0)
                .max(Comparator.comparingLong(Attempt::latencyMillis))
                .map(a -> a.latencyMillis() + " ms (" + a.status() + (a.code().isEmpty() ? "" : " " + a.code())
                        + ", " + (a.commandId().startsWith("v-") ? "issue " : "redemption ") + a.commandId()
                        + ", sent " + sinceStartMillis(a.sentNanos()) + " ms into the load)")
                .orElse("none");
    }

    /** Answers with this status to requests sent between the two instants. */
    long count(int status, long fromNanos, long toNanos) {
        return attempts.stream()
                .filter(a -> a.sentNanos() >= fromNanos && a.sentNanos() <= toNanos && a.status() == status)
                .count();
    }

    long sinceStartMillis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos);
    }

    static String money(String amount) {
        return "{\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}";
    }

    static String issue(String voucherId, String beneficiaryUscc, String faceValue) {
        return "{\"voucherId\":\"" + voucherId + "\",\"beneficiary\":{\"id\":\"" + beneficiaryUscc
                + "\",\"name\":\"Firm " + beneficiaryUscc + "\",\"sector\":\"software\"},\"faceValue\":"
                + money(faceValue) + "}";
    }

    static String redeem(
            String redemptionId, String contractRef, String invoiceRef, String providerId, String invoiceAmount) {
        return "{\"redemptionId\":\"" + redemptionId + "\",\"contractRef\":\"" + contractRef + "\",\"invoiceRef\":\""
                + invoiceRef + "\",\"providerId\":\"" + providerId + "\",\"invoiceAmount\":" + money(invoiceAmount)
                + "}";
    }
}
