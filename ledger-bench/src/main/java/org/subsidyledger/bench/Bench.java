package org.subsidyledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.subsidyledger.bench.history.HistoryLauncher;

/**
 * The benchmark (docs/BENCHMARKS.md): starts the packaged ledger on a fresh PostgreSQL database as production runs it,
 * seeds programs, providers, vouchers and housing grants, sends the issue-13 command mix at fixed arrival rates and at
 * fixed concurrency, then reads and HTTP Basic, and in the same run measures the raw JDBC append baseline; prints the
 * figures and writes them to {@code results.json} with a plot.
 *
 * <p>Run: {@code java -jar ledger-bench/target/ledger-bench.jar} (from the repository root, after
 * {@code ./mvnw -B -pl ledger-bench -am -DskipTests package}); {@code --help} lists the settings.
 */
public final class Bench {
    private final Settings settings;
    private final List<Map<String, Object>> phases = new ArrayList<>();

    private Bench(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (args.length > 0 && args[0].equals("generate")) {
            HistoryLauncher.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 2 && args[0].equals("history-plot")) {
            // history-plot OUT.png RESULTS.json... : accepted/s of each phase against the history each run started on
            List<Path> results =
                    Arrays.stream(args, 2, args.length).map(Path::of).toList();
            System.out.println("plot: " + Report.historyPlot(Path.of(args[1]), results));
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> results = run(settings);
        System.out.println("Results: " + settings.out().resolve("results.json").toAbsolutePath());
        System.exit(results.isEmpty() ? 1 : 0);
    }

    /** One whole run; returns what results.json holds. */
    public static Map<String, Object> run(Settings settings) throws Exception {
        System.setProperty("java.awt.headless", "true");
        return new Bench(settings).execute();
    }

    private Map<String, Object> execute() throws Exception {
        Files.createDirectories(settings.out());
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("startedAt", Instant.now().toString());
        results.put(
                "machine",
                Map.of(
                        "cores",
                        Runtime.getRuntime().availableProcessors(),
                        "java",
                        System.getProperty("java.version"),
                        "os",
                        System.getProperty("os.name") + " " + System.getProperty("os.version"),
                        "loadAverageAtStart",
                        loadAverage()));
        results.put("settings", settings.toString());
        Tokens tokens = new Tokens();
        Path publicKey = tokens.writePublicKey(settings.out().resolve("ledger-public-key.pem"));
        try (Database database = settings.database().isBlank()
                ? Database.create(settings.databaseServer(), "ledgerbench_")
                : Database.existing(settings.databaseServer(), settings.database())) {
            if (settings.historyEvents() > 0) {
                long before = System.nanoTime();
                HistoryLauncher.run(
                        settings.ledgerJar(),
                        database.url(),
                        settings.historyEvents(),
                        settings.historyVouchers(),
                        settings.out().resolve("history.log"));
                results.put(
                        "historyGeneration",
                        Map.of(
                                "events",
                                settings.historyEvents(),
                                "vouchers",
                                settings.historyVouchers(),
                                "millis",
                                (System.nanoTime() - before) / 1_000_000));
                log("history generated: "
                        + Files.readString(settings.out().resolve("history.log"))
                                .lines()
                                .filter(l -> l.startsWith("history:"))
                                .reduce((x, y) -> y)
                                .orElse("?"));
            }
            execute(results, database, publicKey, tokens);
        }
        return results;
    }

    private void execute(Map<String, Object> results, Database database, Path publicKey, Tokens tokens)
            throws Exception {
        long existingEvents =
                queryLong(database, "SELECT count(*) FROM pg_class WHERE relname = 'domain_event_entry'") == 0
                        ? 0
                        : eventCount(database);
        long startMillis = System.currentTimeMillis();
        try (LedgerProcess ledger = LedgerProcess.start(
                settings, database, publicKey, settings.out().resolve("work"), "ledger")) {
            results.put("startMillis", System.currentTimeMillis() - startMillis);
            results.put("eventsBeforeStart", existingEvents);
            if (existingEvents > 0) {
                results.put("rebuild", awaitProjections(database, existingEvents));
            }
            results.put("database", database.name());
            log("ledger pid " + ledger.pid() + " at " + ledger.baseUrl() + " on database " + database.name());
            Runner runner = new Runner(ledger.baseUrl());
            Mix mix = new Mix(tokens, settings.programs());
            if (settings.historyInMix() > 0) {
                mix.useHistory(settings.historyInMix(), settings.historyVouchers());
            }
            long seedStart = System.nanoTime();
            runner.seed(mix.registries(), 1);
            runner.seed(mix.holdings(settings.vouchers(), settings.grants()), settings.concurrency());
            runner.seed(mix.exhaust(), settings.concurrency());
            mix.shuffle(20261203L);
            long seedMillis = (System.nanoTime() - seedStart) / 1_000_000;
            long seededEvents = eventCount(database);
            results.put(
                    "seed",
                    Map.of(
                            "voucherPrograms",
                            settings.programs(),
                            "housingPrograms",
                            2,
                            "vouchers",
                            mix.vouchers().size(),
                            "grants",
                            settings.grants(),
                            "events",
                            seededEvents,
                            "millis",
                            seedMillis));
            log("seeded " + mix.vouchers().size() + " vouchers, " + settings.grants() + " grants, " + seededEvents
                    + " events in " + seedMillis + " ms");

            try (LagSampler lag = new LagSampler(database)) {
                int lowest = settings.rates().stream().min(Integer::compare).orElse(10);
                if (!settings.warmUp().isZero()) {
                    runner.open("warm-up", mix::next, lowest, settings.warmUp(), settings.maxInFlight());
                }
                for (int rate : settings.rates()) {
                    measure(
                            ledger,
                            database,
                            lag,
                            mix,
                            () -> runner.open(
                                    "mix-open-" + rate, mix::next, rate, settings.phase(), settings.maxInFlight()));
                }
                Map<String, Object> closed = measure(
                        ledger,
                        database,
                        lag,
                        mix,
                        () -> runner.closed(
                                "mix-closed-" + settings.concurrency(),
                                mix::next,
                                settings.concurrency(),
                                settings.phase()));
                if (settings.reads()) {
                    measure(
                            ledger,
                            database,
                            lag,
                            mix,
                            () -> runner.closed(
                                    "reads-closed-" + settings.concurrency(),
                                    () -> mix.read(false),
                                    settings.concurrency(),
                                    settings.phase()));
                    measure(
                            ledger,
                            database,
                            lag,
                            mix,
                            () -> runner.closed(
                                    "basic-closed-" + settings.concurrency(),
                                    () -> mix.read(true),
                                    settings.concurrency(),
                                    settings.phase()));
                }
                results.put("lagSamplerError", lag.error());

                long accepted = (Long) closed.get("accepted");
                long events = (Long) closed.get("eventsAppended");
                int rowsPerCommand = accepted == 0 ? 1 : (int) Math.max(1, Math.round((double) events / accepted));
                log("raw JDBC baseline: " + settings.concurrency() + " connections, " + rowsPerCommand
                        + " row(s) per transaction");
                RawBaseline.Result baseline =
                        RawBaseline.run(database, settings.concurrency(), settings.phase(), rowsPerCommand);
                results.put("baseline", baseline);
                double closedRate = (Double) closed.get("acceptedPerSecond");
                double bestOpen = phases.stream()
                        .filter(p -> "open".equals(p.get("model")))
                        .mapToDouble(p -> (Double) p.get("acceptedPerSecond"))
                        .max()
                        .orElse(0);
                Map<String, Object> ratio = new LinkedHashMap<>();
                ratio.put("fixedConcurrencyLedgerOverBaseline", ratio(closedRate, baseline.transactionsPerSecond()));
                ratio.put("bestOpenModelLedgerOverBaseline", ratio(bestOpen, baseline.transactionsPerSecond()));
                results.put("ratio", ratio);
                results.put("phases", phases);
                results.put("loadAverageAtEnd", loadAverage());
                results.put("eventsInStore", eventCount(database));
                Path plot = Report.plot(settings.out(), phases, baseline.transactionsPerSecond());
                results.put("plot", plot.toString());
                Report.write(settings.out(), results);
                System.out.println();
                System.out.print(Report.table(phases));
                System.out.printf(
                        "raw JDBC baseline: %.0f tx/s (%d row(s) each, %d connections), p50 %.2f ms,"
                                + " p99 %.2f ms; ledger/baseline: fixed concurrency %s, best open model %s%n",
                        baseline.transactionsPerSecond(),
                        rowsPerCommand,
                        baseline.connections(),
                        baseline.p50Micros() / 1000.0,
                        baseline.p99Micros() / 1000.0,
                        ratio.get("fixedConcurrencyLedgerOverBaseline"),
                        ratio.get("bestOpenModelLedgerOverBaseline"));
                System.out.println("plot: " + plot.toAbsolutePath());
            }
        }
    }

    /**
     * After a start on an existing history: how long the budget and alert projections (and the Kafka publisher) take
     * to reach the head of the log from scratch — the rebuild rate.
     */
    private static Map<String, Object> awaitProjections(Database database, long events) throws Exception {
        long head = queryLong(database, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
        long start = System.nanoTime();
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> pending = new TreeSet<>(List.of("budget", "alerts", "kafka-publisher"));
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Map<String, Long> positions = new HashMap<>();
            try (Connection c = database.connect();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT processor_name, token FROM token_entry")) {
                while (r.next()) {
                    positions.merge(r.getString(1), LagSampler.position(r.getBytes(2)), Math::min);
                }
            }
            for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                String processor = it.next();
                if (positions.getOrDefault(processor, -1L) >= head) {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    out.put(
                            processor,
                            Map.of(
                                    "millis",
                                    millis,
                                    "eventsPerSecond",
                                    Report.round(events * 1000.0 / Math.max(1, millis))));
                    log(processor + " caught up with " + events + " events in " + millis + " ms");
                    it.remove();
                }
            }
            Thread.sleep(500);
        }
        for (String processor : pending) {
            out.put(processor, "not caught up in 10 minutes");
        }
        return out;
    }

    private Map<String, Object> measure(
            LedgerProcess ledger, Database database, LagSampler lag, Mix mix, Callable<Runner.Phase> phase)
            throws Exception {
        long eventsBefore = maxIndex(database);
        long cpuBefore = ledger.cpuMillis();
        lag.takeFigures();
        long start = System.nanoTime();
        Runner.Phase result = phase.call();
        long wall = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        long cpu = ledger.cpuMillis() - cpuBefore;
        long events = eventsSince(database, eventsBefore);
        Map<String, Object> figures = Report.phase(
                result,
                events,
                cpu * 100.0 / wall,
                heapUsed(ledger, mix),
                ledger.residentBytes(),
                lag.takeFigures(),
                loadAverage());
        phases.add(figures);
        log(String.format(
                "%s: %.1f accepted/s, p99 %s ms, %d refused, %d 5xx, %d events",
                result.name(),
                result.acceptedPerSecond(),
                ((Map<?, ?>) figures.get("allLatencyMs")).get("p99"),
                result.tally().count("refused"),
                result.tally().count("serverError"),
                events));
        return figures;
    }

    private static long heapUsed(LedgerProcess ledger, Mix mix) {
        HttpResponse<String> response = new Runner(ledger.baseUrl())
                .sendNow(new Call(
                        "metrics",
                        "GET",
                        "/actuator/metrics/jvm.memory.used?tag=area:heap",
                        null,
                        mix.nationalToken(),
                        null));
        if (response == null || response.statusCode() != 200) {
            return -1;
        }
        try {
            JsonNode node = Report.JSON.readTree(response.body());
            return node.path("measurements").path(0).path("value").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long eventCount(Database database) throws SQLException {
        return queryLong(database, "SELECT count(*) FROM domain_event_entry");
    }

    private static long maxIndex(Database database) throws SQLException {
        return queryLong(database, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
    }

    private static long eventsSince(Database database, long index) throws SQLException {
        return queryLong(database, "SELECT count(*) FROM domain_event_entry WHERE global_index > " + index);
    }

    private static long queryLong(Database database, String sql) throws SQLException {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Double ratio(double ledger, double baseline) {
        return baseline == 0 ? null : Math.round(ledger / baseline * 10_000) / 10_000.0;
    }

    private static void log(String message) {
        System.out.println("[bench " + Instant.now() + "] " + message);
    }
}
