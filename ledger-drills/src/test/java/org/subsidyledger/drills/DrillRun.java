package org.subsidyledger.drills;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One drill's world: its directory under target/drills, a key pair for tokens, an external Kafka broker, a database
 * of its own, the ledger processes, the set-up programs; and at the end the figures and the checks. Closing it stops
 * the ledgers and the broker and drops the database, whatever happened.
 */
final class DrillRun implements AutoCloseable {
    final String name;
    final Path workDir;
    final Tokens tokens;
    final KafkaBroker broker;
    final LedgerClient admin;
    final LedgerClient auditor;
    final List<LedgerProcess> ledgers = new ArrayList<>();
    final long seed = ThreadLocalRandom.current().nextLong(1, 10_000);
    DrillDatabase database;
    List<String> programs;
    private PrivateCluster cluster;

    DrillRun(String name) {
        this.name = name;
        this.workDir = DrillSettings.workDir(name);
        this.tokens = new Tokens(workDir);
        this.broker = KafkaBroker.start(workDir);
        this.admin = new LedgerClient(tokens.nationalAdmin("drill-national"));
        this.auditor = new LedgerClient(tokens.auditor("drill-auditor"));
        System.out.printf(
                "[drill] %s: work directory %s, broker on %s, seed %d%n",
                name, workDir, broker.bootstrapServers(), seed);
    }

    /** A database of the drill's own on the server at this port (5432: the shared one). */
    DrillRun database(int port) {
        database = DrillDatabase.create(port, "drill_" + name.replace('-', '_'));
        return this;
    }

    /** A private PostgreSQL cluster under this drill's directory, with the drill's database in it; stopped at close. */
    PrivateCluster privateCluster() {
        cluster = PrivateCluster.start(workDir.resolve("postgres"));
        database(cluster.port);
        return cluster;
    }

    LedgerProcess startLedger(String ledgerName, String... extra) {
        LedgerProcess ledger = LedgerProcess.start(ledgerName, workDir, database, broker, tokens, extra);
        ledgers.add(ledger);
        return ledger;
    }

    /** The provider and the hot programs, set up through the first ledger. */
    DrillRun setUp() {
        programs = Workload.setUp(admin, ledgers.get(0).base, "d" + seed);
        return this;
    }

    List<URI> nodes() {
        return ledgers.stream().map(l -> l.base).toList();
    }

    Load load(int clients) {
        return new Load(admin, nodes(), programs, clients, seed);
    }

    /**
     * Reads the log, asks the ledger to verify and replay, prints the figures (with the drill's own lines), then
     * asserts what every drill asserts. Returns the checks for the drill's own assertions.
     */
    LedgerChecks report(Load load, String setting, Map<String, Object> extra) {
        LedgerChecks checks = new LedgerChecks(load, database);
        URI node = ledgers.get(0).base;
        Figures figures = checks.figures(name, setting);
        extra.forEach(figures::put);
        LedgerChecks.Audit audit;
        try {
            audit = LedgerChecks.audit(auditor, node, ledgers);
        } catch (AssertionError | RuntimeException e) {
            // the figures first, then the failure: a run that cannot verify still shows what it measured
            figures.put("audit", "FAILED: " + e.getMessage()).print();
            throw e;
        }
        figures.put(
                        "audit/verify",
                        audit.verified() + " ("
                                + audit.verification().path("events").asLong()
                                + " entries, " + audit.unsealed() + " unsealed, seal failures "
                                + audit.sealFailures().size()
                                + ")")
                .put(
                        "audit/replays",
                        "identical " + audit.identical() + " ("
                                + audit.replay().path("differenceCount").asLong() + " differences)")
                .put(
                        "money rules",
                        checks.moneyViolations.isEmpty()
                                ? "held"
                                : checks.moneyViolations.size() + " violations, first: "
                                        + checks.moneyViolations.get(0))
                .put("logs", workDir);
        figures.print();
        checks.assertNothingLost();
        LedgerChecks.assertAudit(audit);
        checks.assertProgramViews(admin, node, programs);
        return checks;
    }

    static Map<String, Object> lines() {
        return new LinkedHashMap<>();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (LedgerProcess ledger : ledgers) {
            try {
                ledger.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        try {
            broker.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (database != null) {
            try {
                database.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (cluster != null) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
