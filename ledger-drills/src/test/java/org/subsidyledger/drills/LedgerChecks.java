package org.subsidyledger.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The checks every drill ends with, on what the clients recorded and what the database holds: acknowledged against
 * stored (lost, duplicated, stored although refused), the money rules (no voucher pays beyond its face value, no
 * program below zero available, recomputed from the stored JSON), the ledger's own {@code /audit/verify} and
 * {@code POST /audit/replays}, and the seals (every 100 entries, none failed, contiguous).
 */
final class LedgerChecks {
    final Load load;
    final List<StoredLog.Event> events;
    final Map<String, Integer> storedPerCommand = new HashMap<>();
    final long acknowledged;
    final long committed;
    final long refused;
    final long stored;
    final long lost;
    final long duplicated;
    final long storedAlthoughRefused;
    final List<Load.Outcome> unanswered;
    final List<Load.Outcome> unexpected;
    final List<String> strangers = new ArrayList<>();
    final List<String> moneyViolations = new ArrayList<>();
    final List<String> sealGaps = new ArrayList<>();
    final long seals;
    /**
     * The longest a seal came after it fell due: from the entry that made {@code SEAL_EVERY} unsealed ones to the seal
     * (a seal is looked for every second and covers all that was committed by then, so it may cover more).
     */
    Duration sealLateness = Duration.ZERO;

    LedgerChecks(Load load, DrillDatabase database) {
        this.load = load;
        this.events = StoredLog.read(database);
        List<Load.Outcome> outcomes = load.outcomes();
        Set<String> sent = outcomes.stream().map(Load.Outcome::id).collect(Collectors.toSet());
        for (StoredLog.Event e : events) {
            String id = e.commandId();
            if (id != null) {
                storedPerCommand.merge(id, 1, Integer::sum);
                if (!sent.contains(id)) {
                    strangers.add(e.type() + " " + id + " at " + e.globalIndex());
                }
            }
        }
        acknowledged = outcomes.stream().filter(Load.Outcome::acknowledged).count();
        committed = outcomes.stream().filter(Load.Outcome::committed).count();
        refused = acknowledged - committed;
        stored = outcomes.stream()
                .filter(o -> storedPerCommand.getOrDefault(o.id(), 0) > 0)
                .count();
        lost = outcomes.stream()
                .filter(o -> o.committed() && storedPerCommand.getOrDefault(o.id(), 0) == 0)
                .count();
        duplicated = storedPerCommand.values().stream()
                .mapToLong(n -> Math.max(0, n - 1))
                .sum();
        storedAlthoughRefused = outcomes.stream()
                .filter(o -> o.status() == 422 && !o.doneBefore() && storedPerCommand.getOrDefault(o.id(), 0) > 0)
                .count();
        unanswered =
                outcomes.stream().filter(o -> !o.acknowledged() && retriable(o)).toList();
        unexpected = outcomes.stream()
                .filter(o -> !o.acknowledged() && !retriable(o))
                .toList();
        checkMoney();
        seals = checkSeals();
    }

    /** A final answer a client retries (so a command ending on it was given up): none, 5xx, 409 in progress. */
    private static boolean retriable(Load.Outcome o) {
        return o.status() <= 0
                || o.status() >= 500
                || (o.status() == 409 && "IDEMPOTENCY_IN_PROGRESS".equals(o.code()));
    }

    /** The program an event moves money of: its programId field, or its aggregate (a program's own events). */
    private static String programOf(StoredLog.Event e) {
        String program = e.text("programId");
        return program != null ? program : e.aggregateId();
    }

    /** Folds each program's stream: available ≥ 0 after every event, no voucher beyond its face value. */
    private void checkMoney() {
        Map<String, BigDecimal> available = new HashMap<>();
        Map<String, BigDecimal[]> vouchers = new HashMap<>(); // id -> {face, redeemed}
        for (StoredLog.Event e : events) {
            String at = e.aggregateId() + "#" + e.sequence() + " " + e.type() + " @" + e.globalIndex();
            switch (e.type()) {
                case "FundsAppropriated" -> available.merge(programOf(e), e.money("amount"), BigDecimal::add);
                case "FundsRescinded" ->
                    available.merge(programOf(e), e.money("amount").negate(), BigDecimal::add);
                case "VoucherIssued" -> {
                    vouchers.put(e.text("voucherId"), new BigDecimal[] {e.money("faceValue"), BigDecimal.ZERO});
                    available.merge(programOf(e), e.money("faceValue").negate(), BigDecimal::add);
                }
                case "VoucherRevoked", "VoucherExpired" ->
                    available.merge(programOf(e), e.money("released"), BigDecimal::add);
                case "ComputeRedeemed" -> {
                    BigDecimal[] v = vouchers.get(e.text("voucherId"));
                    if (v == null) {
                        moneyViolations.add("redemption of an unknown voucher: " + at);
                    } else {
                        v[1] = v[1].add(e.money("subsidy"));
                        if (v[1].compareTo(v[0]) > 0) {
                            moneyViolations.add("voucher " + e.text("voucherId") + " paid " + v[1] + " beyond its face"
                                    + " value " + v[0] + ": " + at);
                        }
                    }
                }
                default -> {}
            }
            BigDecimal left = available.get(programOf(e));
            if (left != null && left.signum() < 0) {
                moneyViolations.add("program " + programOf(e) + " below zero available (" + left + "): " + at);
            }
        }
    }

    /** Seals follow each other without a gap or an overlap: each starts where the previous one ended. */
    private long checkSeals() {
        long previousTo = 0;
        long count = 0;
        long sinceSeal = 0;
        Instant dueAt = null;
        for (StoredLog.Event e : events) {
            if (e.type().equals("LedgerSealed")) {
                long from = e.payload().path("fromGlobalIndex").asLong();
                long to = e.payload().path("toGlobalIndex").asLong();
                if (from != previousTo) {
                    sealGaps.add("seal " + e.payload().path("sealNo").asLong() + " covers (" + from + ", " + to
                            + "] but the previous one ended at " + previousTo);
                }
                if (dueAt != null) {
                    sealLateness = sealLateness.compareTo(Duration.between(dueAt, e.timestamp())) >= 0
                            ? sealLateness
                            : Duration.between(dueAt, e.timestamp());
                }
                previousTo = to;
                sinceSeal = 0;
                dueAt = null;
                count++;
            } else if (++sinceSeal == LedgerProcess.SEAL_EVERY) {
                dueAt = e.timestamp();
            }
        }
        return count;
    }

    long http5xx() {
        return load.measuredAttempts().stream().filter(a -> a.status() >= 500).count();
    }

    long http503() {
        return load.measuredAttempts().stream().filter(a -> a.status() == 503).count();
    }

    /** When the 5xx answers came: their count in each 10 s of the run, from its start ("0-10 s: 3, 10-20 s: 0…"). */
    String http5xxOverTime() {
        TreeMap<Long, Long> byTen = new TreeMap<>();
        load.measuredAttempts().stream()
                .filter(a -> a.status() >= 500)
                .forEach(a -> byTen.merge(
                        TimeUnit.NANOSECONDS.toSeconds(a.sentNanos() - load.measureFromNanos()) / 10, 1L, Long::sum));
        return byTen.isEmpty()
                ? "none"
                : byTen.entrySet().stream()
                        .map(e -> e.getKey() * 10 + "-" + (e.getKey() + 1) * 10 + " s: " + e.getValue())
                        .collect(Collectors.joining(", "));
    }

    long httpOther5xx() {
        return http5xx() - http503();
    }

    long brokenOrTimedOut() {
        return load.measuredAttempts().stream().filter(a -> a.status() <= 0).count();
    }

    /** The warm-up before the measured load, if there was one: its requests, 5xx and slowest answer (not asserted). */
    String warmUp() {
        List<Load.Attempt> warmUp = load.warmUpAttempts();
        if (warmUp.isEmpty()) {
            return "none";
        }
        return String.format(
                "%d clients (all of them in its last seconds) for %d s before the measured load: %d"
                        + " requests, %d × 5xx, slowest %d ms (not counted above)",
                load.warmUpClients(),
                TimeUnit.NANOSECONDS.toSeconds(load.measureFromNanos() - load.startNanos),
                warmUp.size(),
                warmUp.stream().filter(a -> a.status() >= 500).count(),
                warmUp.stream()
                        .filter(a -> a.status() > 0)
                        .mapToLong(Load.Attempt::latencyMillis)
                        .max()
                        .orElse(0));
    }

    /** The figures block: the same lines for every drill, then the drill's own. */
    Figures figures(String drill, String setting) {
        Histogram h = load.latencies();
        return new Figures(drill)
                .put("setting", setting)
                .put("clients", load.clients() + " (ledger pool " + DrillSettings.LEDGER_POOL_SIZE + ")")
                .put("commands sent", load.outcomes().size())
                .put("acknowledged", acknowledged + " (committed " + committed + ", refused 422 " + refused + ")")
                .put("stored", stored + " commands in the log (" + events.size() + " entries in all)")
                .put("lost", lost)
                .put("duplicated", duplicated + " (stored although refused: " + storedAlthoughRefused + ")")
                .put("5xx", http5xx() + " (503 " + http503() + ", other " + httpOther5xx() + ")")
                .put("5xx over time", http5xxOverTime() + " (seconds of the measured load)")
                .put("warm-up", warmUp())
                .put("unanswered attempts", brokenOrTimedOut() + " (broken connection or timeout, then retried)")
                .put(
                        "gave up",
                        unanswered.size() + " commands never acknowledged within " + Load.GIVE_UP_AFTER.toMinutes()
                                + " min of retries"
                                + (unanswered.isEmpty()
                                        ? ""
                                        : "; last answers "
                                                + unanswered.stream()
                                                        .map(o -> o.status() + " " + o.code())
                                                        .distinct()
                                                        .toList()))
                .put(
                        "done before",
                        load.outcomes().stream()
                                        .filter(Load.Outcome::doneBefore)
                                        .count()
                                + " retried commands answered ALREADY_EXISTS/DUPLICATE_INVOICE (their first attempt committed)")
                .put(
                        "max latency",
                        String.format(
                                "%d ms (p50 %d, p99 %d, p99.9 %d ms; %d requests)",
                                h.getMaxValue() / 1000,
                                h.getValueAtPercentile(50) / 1000,
                                h.getValueAtPercentile(99) / 1000,
                                h.getValueAtPercentile(99.9) / 1000,
                                h.getTotalCount()))
                .put(
                        "seals",
                        seals + " (every " + LedgerProcess.SEAL_EVERY + " entries; at most " + sealLateness.toMillis()
                                + " ms after one fell due)");
    }

    /** The assertions every drill makes on these figures. */
    void assertNothingLost() {
        assertAcknowledgedExactlyOnce();
        assertThat(unanswered)
                .as("commands never acknowledged within %s of retries", Load.GIVE_UP_AFTER)
                .isEmpty();
    }

    /** Every acknowledged command in the log exactly once, nothing refused stored, nothing stored twice. */
    void assertAcknowledgedExactlyOnce() {
        assertThat(strangers).as("events no command of the load asked for").isEmpty();
        assertThat(unexpected)
                .as("answers other than 2xx, 422, 503 or a retried 409")
                .isEmpty();
        assertThat(lost).as("acknowledged commands missing from the log").isZero();
        assertThat(duplicated).as("commands stored more than once").isZero();
        assertThat(storedAlthoughRefused)
                .as("commands refused with 422 and stored all the same")
                .isZero();
        assertThat(moneyViolations).as("money rules broken in the log").isEmpty();
        assertThat(sealGaps).as("seals that do not follow each other").isEmpty();
        assertThat(acknowledged).as("the load got commands through").isPositive();
    }

    /** What the ledger says of itself after the load: its verification, its replay, its seal failures. */
    record Audit(JsonNode verification, JsonNode replay, List<String> sealFailures) {
        boolean verified() {
            return verification.path("verified").asBoolean();
        }

        boolean identical() {
            return replay.path("identical").asBoolean();
        }

        long unsealed() {
            return verification.path("unsealedEvents").asLong();
        }
    }

    /**
     * {@code GET /audit/verify} (again, up to 30 s, until fewer than 100 entries wait for a seal: seals are checked
     * every second), {@code POST /audit/replays} (retried while another replay runs: 503), and every seal failure the
     * ledgers logged.
     */
    static Audit audit(LedgerClient auditor, URI node, List<LedgerProcess> ledgers) {
        JsonNode verification = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            verification = auditor.expect(node, "GET", "/api/v1/audit/verify", null, 200);
            if (!verification.path("verified").asBoolean()
                    || verification.path("unsealedEvents").asLong() < LedgerProcess.SEAL_EVERY) {
                break;
            }
            DrillSettings.sleep(Duration.ofSeconds(1));
        } while (System.nanoTime() < deadline);
        List<String> sealFailures = new ArrayList<>();
        for (LedgerProcess ledger : ledgers) {
            sealFailures.addAll(ledger.sealFailures());
        }
        JsonNode replay = null;
        for (int i = 0; replay == null; i++) {
            try {
                replay = auditor.expect(node, "POST", "/api/v1/audit/replays", null, 200);
            } catch (AssertionError busy) { // 503 while another replay runs: retry, as SPEC says
                if (i == 30) {
                    throw busy;
                }
                DrillSettings.sleep(Duration.ofSeconds(1));
            }
        }
        return new Audit(verification, replay, sealFailures);
    }

    static void assertAudit(Audit audit) {
        assertThat(audit.verified())
                .as("/audit/verify: %s", audit.verification())
                .isTrue();
        assertThat(audit.unsealed())
                .as(
                        "entries after the last seal, up to 30 s after the load (a seal every %d): %s",
                        LedgerProcess.SEAL_EVERY, audit.verification())
                .isLessThan(LedgerProcess.SEAL_EVERY);
        assertThat(audit.sealFailures())
                .as("seal failures in the ledgers' logs")
                .isEmpty();
        assertThat(audit.identical())
                .as("POST /audit/replays: %s", audit.replay())
                .isTrue();
    }

    /** GET /programs/{id}: figures.available equals the log's fold and is not negative. */
    void assertProgramViews(LedgerClient admin, URI node, List<String> programs) {
        for (String program : programs) {
            BigDecimal fromLog = BigDecimal.ZERO;
            for (StoredLog.Event e : events) {
                if (!programOf(e).equals(program)) {
                    continue;
                }
                switch (e.type()) {
                    case "FundsAppropriated" -> fromLog = fromLog.add(e.money("amount"));
                    case "VoucherIssued" -> fromLog = fromLog.subtract(e.money("faceValue"));
                    case "VoucherRevoked", "VoucherExpired" -> fromLog = fromLog.add(e.money("released"));
                    default -> {}
                }
            }
            JsonNode view = admin.expect(node, "GET", "/api/v1/programs/" + program, null, 200);
            BigDecimal shown =
                    new BigDecimal(view.path("figures").path("available").asText("NaN"));
            assertThat(shown.signum()).as("available of %s: %s", program, view).isNotNegative();
            assertThat(shown)
                    .as("available of %s in the API against the log", program)
                    .isEqualByComparingTo(fromLog);
        }
    }
}
