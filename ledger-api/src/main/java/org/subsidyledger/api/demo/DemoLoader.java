package org.subsidyledger.api.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.eventhandling.GenericEventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.expiry.ExpirySweeper;
import org.subsidyledger.api.store.BackgroundWork;
import org.subsidyledger.api.store.SealWriter;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.program.approval.ApprovalCommands.ApproveRequest;
import org.subsidyledger.core.program.approval.ApprovalCommands.RejectRequest;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;

/**
 * Loads the demo history (SPEC §10): {@code ./ledger --demo}, which the application turns into
 * {@code ledger.demo.enabled=true}. It runs once the application is ready, and only into an empty ledger: if the event
 * store holds any entry it logs why it refuses and the ledger simply goes on serving what it has.
 *
 * <p>Everything goes through the real command path ({@link LedgerCommands}, principal {@code demo}), so every rule is
 * enforced and each command is its own all-or-nothing transaction; rejections are counted, never repaired. While it
 * runs, the ledger's event clock ({@code GenericEventMessage.clock}) is fixed at the simulated instant of each step and
 * {@link BackgroundWork} is paused, so neither the expiry sweep nor the seal schedule appends an entry stamped "now" in
 * the middle of the past; the loader runs the sweep itself at each simulated local midnight and asks the
 * {@link SealWriter}, where there is one, for the day-end seal. Both are restored whatever happens.
 *
 * <p>{@code ledger.demo.seed} (fixed by default) and {@code ledger.demo.end} (an ISO instant, by default now) determine
 * the history: the same pair gives the same programs, vouchers, grants, amounts and event times.
 */
@Component
public class DemoLoader {
    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);
    /** The second person of the demo's four eyes. */
    static final String CHECKER = "demo-checker";

    public static final long DEFAULT_SEED = 20261128L;

    private final LedgerCommands commands;
    private final JdbcTemplate jdbc;
    private final BackgroundWork background;
    private final ExpirySweeper sweeper;
    private final ObjectProvider<SealWriter> seals;
    private final Clock clock;
    private final boolean enabled;
    private final long seed;
    private final String end;

    public DemoLoader(
            LedgerCommands commands,
            JdbcTemplate jdbc,
            BackgroundWork background,
            ExpirySweeper sweeper,
            ObjectProvider<SealWriter> seals,
            Clock clock,
            @Value("${ledger.demo.enabled:false}") boolean enabled,
            @Value("${ledger.demo.seed:" + DEFAULT_SEED + "}") long seed,
            @Value("${ledger.demo.end:}") String end) {
        this.commands = commands;
        this.jdbc = jdbc;
        this.background = background;
        this.sweeper = sweeper;
        this.seals = seals;
        this.clock = clock;
        this.enabled = enabled;
        this.seed = seed;
        this.end = end;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void onReady() {
        if (enabled) {
            load();
        }
    }

    /** Loads the history with the configured seed and end instant. */
    public DemoReport load() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant until = end == null || end.isBlank() ? now : Instant.parse(end);
        return load(seed, until);
    }

    /**
     * Loads the history of {@code seed} ending at {@code until}, unless the ledger holds any entry or {@code until}
     * lies in the future. Never throws: a refusal or a failure is logged and reported.
     */
    public synchronized DemoReport load(long seed, Instant until) {
        if (until.isAfter(clock.instant())) {
            return refuse("its end " + until + " lies in the future; event times must not");
        }
        if (!isEmpty()) {
            return refuse("the ledger is not empty; the demo history is only ever loaded into an empty ledger");
        }
        log.info("demo: loading about two years of history ending at {} (seed {})", until, seed);
        long started = System.nanoTime();
        Map<String, Integer> accepted = new TreeMap<>();
        Map<String, Integer> rejected = new TreeMap<>();
        Clock previous = GenericEventMessage.clock;
        RequestContext demo = new RequestContext("demo", null, null, "demo-" + seed);
        RequestContext checker = new RequestContext(CHECKER, null, null, "demo-" + seed);
        DemoHistory history = new DemoHistory(
                new DemoHistory.Ledger() {
                    @Override
                    public boolean send(Object command) {
                        try {
                            Object result = commands.send(command, demo);
                            if (result instanceof ApprovalRequested requested) {
                                // In the history, a second person approves each request as soon as it is made.
                                commands.send(
                                        new ApproveRequest(
                                                requested.programId(), requested.requestId(), checker.principal()),
                                        checker);
                            }
                            accepted.merge(command.getClass().getSimpleName(), 1, Integer::sum);
                            return true;
                        } catch (LedgerRejection rejection) {
                            rejected.merge(rejection.code().name(), 1, Integer::sum);
                            return false;
                        }
                    }

                    @Override
                    public void endOfDay(Instant midnight) {
                        sweeper.sweep(midnight);
                        SealWriter writer = seals.getIfAvailable();
                        if (writer != null) {
                            writer.seal(SealWriter.Trigger.DAY_END);
                        }
                    }

                    @Override
                    public void at(Instant instant) {
                        GenericEventMessage.clock = Clock.fixed(instant, ZoneOffset.UTC);
                    }
                },
                seed,
                until);
        String failure = null;
        try (BackgroundWork.Pause pause = background.pause()) {
            history.run(DemoPrograms.load());
            GenericEventMessage.clock = Clock.fixed(until, ZoneOffset.UTC);
            sweeper.sweep(until);
            openRequests(demo, checker);
        } catch (RuntimeException e) {
            failure = e.toString();
            log.error(
                    "demo: loading stopped by an unexpected failure; what was appended before it stays, each"
                            + " command whole",
                    e);
        } finally {
            GenericEventMessage.clock = previous;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Long events = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        DemoReport report = new DemoReport(
                failure == null,
                failure,
                history.start(),
                until,
                events == null ? 0 : events,
                Map.copyOf(accepted),
                Map.copyOf(rejected),
                took);
        log.info(
                "demo: {} events appended from {} to {} in {} ms; accepted {}; rejected by code {}",
                report.events(),
                report.from(),
                report.to(),
                took.toMillis(),
                accepted,
                rejected);
        return report;
    }

    /**
     * What a finance bureau finds on its desk at the end of the history: Hangzhou's supplementary appropriation waiting
     * for a second person, and a rescission the checker rejected.
     */
    private void openRequests(RequestContext maker, RequestContext checker) {
        ProgramId hangzhou = ProgramId.of("zj-hangzhou-compute-2026");
        try {
            commands.send(
                    new AppropriateFunds(hangzhou, Money.of("60000000.00", CurrencyCode.CNY), "HZ-supplementary"),
                    maker);
            Object rescission = commands.send(
                    new RescindFunds(
                            hangzhou,
                            Money.of("20000000.00", CurrencyCode.CNY),
                            "Returned to the provincial pool at mid-year"),
                    maker);
            if (rescission instanceof ApprovalRequested requested) {
                commands.send(
                        new RejectRequest(
                                hangzhou,
                                requested.requestId(),
                                checker.principal(),
                                "Deferred to the year-end review"),
                        checker);
            }
        } catch (LedgerRejection rejection) {
            log.warn("demo: the closing approval requests were refused: {}", rejection.getMessage());
        }
    }

    private boolean isEmpty() {
        return jdbc.queryForList("SELECT global_index FROM domain_event_entry LIMIT 1")
                .isEmpty();
    }

    private static DemoReport refuse(String why) {
        log.warn("demo: not loaded: {}. The ledger goes on serving.", why);
        return DemoReport.refused(why);
    }
}
