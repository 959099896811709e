package org.subsidyledger.bench.history;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * Writes a large, valid history into an empty ledger database quickly: one compute-voucher program with
 * {@code vouchers} vouchers and enough redemptions on them to reach {@code events} entries, plus seals.
 *
 * <p>It runs the ledger's own Spring context (no web server, no Kafka) on the classpath of the packaged ledger and
 * appends the events, {@code batch} to a transaction, through the ledger's own storage engine, so the hash chain is
 * the ledger's ({@code HashChainingStorageEngine}) and the rows are Axon's (batched inserts). The rows of the ledger
 * index and the entity history that the subscribing {@code ledger-index} processor would write one statement at a
 * time are written in the same transaction as batched inserts ({@link IndexRows}); with
 * {@code --through-processors=true} the events are published through the event store instead and the ledger's own
 * projectors write those rows (slower; the generator test compares both). Seals are written by the ledger's seal
 * writer after each batch. The
 * events are built from the domain's own event records with the figures the program's rules give (subsidy =
 * invoice × coverage ratio, remaining = face value − redeemed), so the program aggregate replays them, the budget
 * identity holds and {@code /audit/verify} answers verified. The tracking processors (budget, alerts, Kafka) are
 * stopped here: the ledger started on this database afterwards builds them from the log, which measures a rebuild.
 *
 * <p>Started by {@code java -jar ledger-bench.jar --history=...} (see {@link HistoryLauncher}); arguments:
 * {@code --db-url=... --events=1000000 --vouchers=100000 --batch=1000 --snapshot=true}.
 */
public final class HistoryGenerator {
    static final String PROGRAM = "big-p0";
    static final String PROVIDER = "big-cp0";
    private static final String PROVINCE = "CN-ZJ";
    private static final String CITY = "Hangzhou";
    private static final CurrencyCode CNY = CurrencyCode.CNY;

    private HistoryGenerator() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        long events = Long.parseLong(a.getOrDefault("events", "1000000"));
        int vouchers = Integer.parseInt(a.getOrDefault("vouchers", "100000"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "1000"));
        boolean snapshot = Boolean.parseBoolean(a.getOrDefault("snapshot", "true"));
        boolean throughProcessors = Boolean.parseBoolean(a.getOrDefault("through-processors", "false"));
        String url = a.get("db-url");
        if (url == null || vouchers < 1 || events < vouchers + 3L) {
            System.err.println("usage: --db-url=jdbc:postgresql://... [--events=1000000] [--vouchers=100000]"
                    + " [--batch=1000] [--snapshot=true]; events must exceed vouchers + 3");
            System.exit(2);
        }
        SpringApplication application = new SpringApplication(Class.forName("org.subsidyledger.api.LedgerApplication"));
        application.setWebApplicationType(WebApplicationType.NONE);
        long started = System.nanoTime();
        try (ConfigurableApplicationContext context = application.run(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres",
                "--ledger.kafka.enabled=false",
                "--ledger.audit.seal.scheduled=false",
                "--ledger.security.demo-users=true",
                "--logging.level.org.subsidyledger=warn",
                "--spring.main.banner-mode=off")) {
            stopTrackingProcessors(context);
            System.out.printf("history: ledger context up in %.1f s%n", (System.nanoTime() - started) / 1e9);
            started = System.nanoTime();
            Writer writer = new Writer(context, batch, throughProcessors);
            long written = generate(writer, events, vouchers);
            writer.flush();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf(
                    "history: %d events (%d vouchers) and %d seals written in %.1f s (%.0f events/s)%n",
                    written, vouchers, writer.seals, millis / 1000.0, written * 1000.0 / Math.max(1, millis));
            if (snapshot) {
                long before = System.nanoTime();
                context.getBean(Snapshotter.class)
                        .scheduleSnapshot(Class.forName("org.subsidyledger.core.program.Program"), PROGRAM);
                // snapshots are written on the ledger's snapshot thread: wait for it before the process exits
                Class<?> thread = Class.forName("org.subsidyledger.api.store.SnapshotThread");
                boolean done = (Boolean) thread.getMethod("awaitIdle", Duration.class)
                        .invoke(context.getBean(thread), Duration.ofMinutes(30));
                System.out.printf(
                        "snapshot of %s %s (%.1f s)%n",
                        PROGRAM, done ? "written" : "NOT written", (System.nanoTime() - before) / 1e9);
            }
        }
        System.exit(0);
    }

    /** The events themselves: registry, program, vouchers, then redemptions spread evenly over the vouchers. */
    static long generate(Writer writer, long events, int vouchers) throws Exception {
        Instant now = Instant.now();
        Jurisdiction jurisdiction = Jurisdiction.parse(PROVINCE);
        int fiscalYear = jurisdiction.fiscalYearOf(now);
        writer.add(
                "Provider",
                PROVIDER,
                new ProviderAccredited(
                        ProviderId.of(PROVIDER),
                        "Benchmark compute provider",
                        uscc("91330100MY", 1),
                        ProviderKind.COMPUTE,
                        null,
                        "CN"));
        ProgramId program = ProgramId.of(PROGRAM);
        Ratio coverage = Ratio.of("0.30");
        Money face = Money.of("100000.00", CNY);
        VoucherSettings rules = new VoucherSettings(
                coverage,
                Money.of("8000000.00", CNY),
                Money.of("8000000.00", CNY),
                365,
                List.of("software", "healthcare"),
                Payee.PROVIDER);
        writer.add(
                "Program",
                PROGRAM,
                new ProgramLaunched(
                        program, "Benchmark large program", ProgramKind.COMPUTE_VOUCHER, PROVINCE, CITY, CNY, rules));
        writer.add(
                "Program",
                PROGRAM,
                new FundsAppropriated(
                        program,
                        PROVINCE,
                        CITY,
                        ProgramKind.COMPUTE_VOUCHER,
                        CNY,
                        Money.of("900000000000.00", CNY),
                        "budget-" + PROGRAM,
                        fiscalYear));
        Instant expiresAt = now.plus(Duration.ofDays(365));
        for (int v = 0; v < vouchers; v++) {
            String firm = uscc("91330100MB", v);
            writer.add(
                    "Program",
                    PROGRAM,
                    new VoucherIssued(
                            program,
                            PROVINCE,
                            CITY,
                            ProgramKind.COMPUTE_VOUCHER,
                            CNY,
                            VoucherId.of(voucher(v)),
                            new Beneficiary(firm, "Firm " + firm, "software", null),
                            null,
                            face,
                            coverage,
                            Payee.PROVIDER,
                            fiscalYear,
                            expiresAt));
        }
        long redemptions = events - vouchers - 3;
        Money invoice = Money.of("100.00", CNY);
        Money subsidy = invoice.times(coverage);
        for (long r = 0; r < redemptions; r++) {
            int v = (int) (r % vouchers);
            long nth = r / vouchers + 1;
            Money remaining = face.minus(
                    Money.of(subsidy.amount().multiply(BigDecimal.valueOf(nth)).toPlainString(), CNY));
            writer.add(
                    "Program",
                    PROGRAM,
                    new ComputeRedeemed(
                            program,
                            PROVINCE,
                            CITY,
                            ProgramKind.COMPUTE_VOUCHER,
                            CNY,
                            VoucherId.of(voucher(v)),
                            RedemptionId.of("big-r" + r),
                            uscc("91330100MB", v),
                            null,
                            "big-k-" + v,
                            "big-inv-" + r,
                            ProviderId.of(PROVIDER),
                            null,
                            invoice,
                            null,
                            coverage,
                            subsidy,
                            remaining,
                            Payee.PROVIDER));
        }
        return writer.written + writer.pending.size();
    }

    static String voucher(int v) {
        return "big-v" + v;
    }

    private static String uscc(String prefix10, int n) {
        String first17 = prefix10 + String.format("%07d", n);
        return first17 + Uscc.checkCharacter(first17);
    }

    private static void stopTrackingProcessors(ConfigurableApplicationContext context) {
        EventProcessingConfiguration processing = context.getBean(EventProcessingConfiguration.class);
        processing.eventProcessors().forEach((name, processor) -> {
            if (!(processor instanceof SubscribingEventProcessor)) {
                processor.shutDown();
            }
        });
    }

    /** Publishes events through the ledger's event store, a unit of work (one transaction) per batch, then seals. */
    static final class Writer {
        private final EventStore eventStore;
        private final EventStorageEngine storageEngine;
        private final TransactionTemplate transaction;
        private final IndexRows indexRows;
        private final boolean throughProcessors;
        private final TransactionManager transactions;
        private final Object sealWriter;
        private final Method seal;
        private final Object eventCountTrigger;
        private final int batch;
        private final Map<String, Long> sequences = new HashMap<>();
        final List<EventMessage<?>> pending = new ArrayList<>();
        long written;
        long seals;
        private long reported;

        @SuppressWarnings({"unchecked", "rawtypes"})
        Writer(ConfigurableApplicationContext context, int batch, boolean throughProcessors)
                throws ReflectiveOperationException {
            this.eventStore = context.getBean(EventStore.class);
            this.storageEngine = context.getBean(EventStorageEngine.class);
            this.transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            this.indexRows = new IndexRows(context.getBean(JdbcTemplate.class));
            this.throughProcessors = throughProcessors;
            this.transactions = context.getBean(TransactionManager.class);
            Class<?> sealWriterType = Class.forName("org.subsidyledger.api.store.SealWriter");
            Class<? extends Enum> triggerType =
                    (Class<? extends Enum>) Class.forName("org.subsidyledger.api.store.SealWriter$Trigger");
            this.sealWriter = context.getBean(sealWriterType);
            this.seal = sealWriterType.getMethod("seal", triggerType);
            this.eventCountTrigger = Enum.valueOf(triggerType, "EVENT_COUNT");
            this.batch = batch;
        }

        void add(String type, String aggregateId, Object payload) throws ReflectiveOperationException {
            long sequence = sequences.merge(aggregateId, 0L, (old, zero) -> old + 1);
            pending.add(new GenericDomainEventMessage<>(
                    type,
                    aggregateId,
                    sequence,
                    payload,
                    MetaData.with("principal", "bench-generator")
                            .and("commandId", UUID.randomUUID().toString())));
            if (pending.size() >= batch) {
                flush();
            }
        }

        void flush() throws ReflectiveOperationException {
            if (pending.isEmpty()) {
                return;
            }
            List<EventMessage<?>> events = List.copyOf(pending);
            pending.clear();
            if (throughProcessors) {
                DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
                unitOfWork.attachTransaction(transactions);
                unitOfWork.execute(() -> eventStore.publish(events));
                if (unitOfWork.getExecutionResult() != null
                        && unitOfWork.getExecutionResult().isExceptionResult()) {
                    throw new IllegalStateException(
                            "A batch failed", unitOfWork.getExecutionResult().getExceptionResult());
                }
            } else {
                transaction.executeWithoutResult(status -> {
                    storageEngine.appendEvents(events);
                    indexRows.write(events);
                });
            }
            written += events.size();
            if (Boolean.TRUE.equals(seal.invoke(sealWriter, eventCountTrigger))) {
                seals++;
            }
            if (written - reported >= 100_000) {
                reported = written;
                System.out.printf("history: %d events written%n", written);
            }
        }
    }
}
