package org.subsidyledger.projections.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;
import org.subsidyledger.core.voucher.VoucherStatus;
import org.subsidyledger.projections.budget.BudgetBatch.Flow;
import org.subsidyledger.projections.budget.BudgetBatch.ProgramRow;

/**
 * Keeps the budget read model ({@code budget_program}, {@code budget_voucher} and its totals, {@code budget_housing_grant},
 * {@code budget_housing_month}) in step with the log.
 *
 * <p>It belongs to the processing group {@value #PROCESSING_GROUP}, a pooled streaming (tracking) processor: it runs
 * behind the commands, on its own threads, in transactions that also store the processor's token, so each event
 * changes the tables exactly once. The log is split into segments by program (sequencing per aggregate), so a
 * program's events are applied in order by one thread while other programs proceed in parallel, and several nodes
 * sharing a database each take some segments.
 *
 * <p>Only flows are kept as running sums on the program row (appropriated, disbursed, paid, released, and the gross
 * issued and granted). {@code committed} is not stored at all: it is summed by {@link BudgetReadModel} from the
 * vouchers still ACTIVE and the months still COMMITTED (SPEC §4, bottom-up), so it cannot drift from the rows that
 * justify it.
 *
 * <p>Each program row carries the sequence number of the last event applied to it; an event at or below it is skipped.
 * Together with the transactional token this makes redelivery harmless.
 *
 * <p>The events that move running sums (appropriations, issues, redemptions, settlements, expiries, revocations) are
 * folded per processor batch and written when the batch commits, one statement per program and per voucher touched
 * ({@link BudgetBatch}); the others are written as they come, after what the batch holds. A reset ({@link #reset()}) empties the tables,
 * so a replay rebuilds them from the first event. The handlers have no effect outside these tables, so replaying is
 * always allowed (nothing here needs {@code @DisallowReplay}).
 */
@ProcessingGroup(BudgetProjector.PROCESSING_GROUP)
public class BudgetProjector {
    public static final String PROCESSING_GROUP = "budget";

    /** Children first, so that a foreign key added later would not stop the reset. */
    static final List<String> TABLES = List.of(
            "budget_housing_month", "budget_housing_grant", "budget_voucher_total", "budget_voucher", "budget_program");

    static final String COMMITTED = "COMMITTED";
    static final String PAID = "PAID";
    static final String LAPSED = "LAPSED";
    static final String RELEASED = "RELEASED";
    static final String ACTIVE = "ACTIVE";
    static final String TERMINATED = "TERMINATED";
    static final String CLOSED = "CLOSED";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    /** Where a unit of work keeps this projector's {@link BudgetBatch}. */
    private final String batchKey = BudgetBatch.class.getName() + "@" + System.identityHashCode(this);

    /** {@code json} writes a program's rules as stored in the read model (the ledger's own mapper, not the HTTP one). */
    public BudgetProjector(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Before a replay: the tables are rebuilt from the first event, so they start empty. */
    @ResetHandler
    public void reset() {
        for (String table : TABLES) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    // ---------------------------------------------------------------- programs

    @EventHandler
    void on(ProgramLaunched event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        flushBatch();
        Integer known = jdbc.queryForObject(
                "SELECT COUNT(*) FROM budget_program WHERE program_id = ?",
                Integer.class,
                event.programId().value());
        if (known != null && known > 0) {
            return; // applied before
        }
        BigDecimal zero = Money.zero(event.currency()).amount();
        jdbc.update(
                "INSERT INTO budget_program (program_id, name, kind, province, city, currency, rules, status,"
                        + " launched_at, appropriated, issued, granted, disbursed, paid, released, clawback_due,"
                        + " last_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                event.programId().value(),
                event.name(),
                event.programKind().name(),
                event.province(),
                event.city(),
                event.currency().name(),
                rulesJson(event),
                ACTIVE,
                utc(timestamp),
                zero,
                zero,
                zero,
                zero,
                zero,
                zero,
                zero,
                sequence);
    }

    @EventHandler
    void on(FundsAppropriated event, @SequenceNumber long sequence) {
        batched(
                event,
                sequence,
                (program, batch) ->
                        program.add(Flow.APPROPRIATED, event.amount().amount()));
    }

    @EventHandler
    void on(FundsRescinded event, @SequenceNumber long sequence) {
        batched(
                event,
                sequence,
                (program, batch) ->
                        program.add(Flow.APPROPRIATED, event.amount().amount().negate()));
    }

    @EventHandler
    void on(ProgramClosed event, @SequenceNumber long sequence) {
        advance(event, sequence, "status = ?", CLOSED);
    }

    // ---------------------------------------------------------------- vouchers

    @EventHandler
    void on(VoucherIssued event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        Jurisdiction jurisdiction = Jurisdiction.parse(event.province());
        BigDecimal zero = Money.zero(event.currency()).amount();
        batched(event, sequence, (program, batch) -> {
            program.add(Flow.ISSUED, event.faceValue().amount());
            batch.insertVoucher(event.voucherId().value(), new Object[] {
                event.voucherId().value(),
                event.programId().value(),
                event.province(),
                event.currency().name(),
                VoucherStatus.ACTIVE.name(),
                event.faceValue().amount(),
                zero,
                zero,
                zero,
                event.faceValue().amount(),
                utc(timestamp),
                utc(event.expiresAt()),
                event.fiscalYear(),
                jurisdiction.fiscalYearOf(event.expiresAt())
            });
        });
    }

    /** Both kinds of redemption. {@code remaining} is reduced here, not copied from the event. */
    @EventHandler
    void on(Redeemed event, @SequenceNumber long sequence) {
        VoucherStatus status = event.remaining().isZero() ? VoucherStatus.EXHAUSTED : VoucherStatus.ACTIVE;
        batched(event, sequence, (program, batch) -> {
            program.add(Flow.DISBURSED, event.subsidy().amount());
            batch.voucher(event.voucherId().value()).redeem(event.subsidy().amount(), status.name());
        });
    }

    @EventHandler
    void on(RedemptionSettled event, @SequenceNumber long sequence) {
        batched(event, sequence, (program, batch) -> {
            program.add(Flow.PAID, event.amount().amount());
            batch.voucher(event.voucherId().value()).settle(event.amount().amount());
        });
    }

    @EventHandler
    void on(VoucherRevoked event, @SequenceNumber long sequence) {
        endVoucher(event, sequence, event.voucherId().value(), VoucherStatus.REVOKED, event.released());
    }

    @EventHandler
    void on(VoucherExpired event, @SequenceNumber long sequence) {
        endVoucher(event, sequence, event.voucherId().value(), VoucherStatus.EXPIRED, event.released());
    }

    private void endVoucher(
            ProgramStreamEvent event, long sequence, String voucherId, VoucherStatus status, Money released) {
        batched(event, sequence, (program, batch) -> {
            program.add(Flow.RELEASED, released.amount());
            batch.voucher(voucherId).end(status.name(), released.amount());
        });
    }

    // ---------------------------------------------------------------- housing

    @EventHandler
    void on(HousingSubsidyGranted event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        if (!advance(event, sequence, "granted = granted + ?", event.committed().amount())) {
            return;
        }
        Jurisdiction jurisdiction = Jurisdiction.parse(event.province());
        BigDecimal zero = Money.zero(event.currency()).amount();
        jdbc.update(
                "INSERT INTO budget_housing_grant (grant_id, program_id, province, currency, start_month,"
                        + " monthly_rent, committed, paid, released, clawback_due, status, granted_at, effective_month)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                event.grantId().value(),
                event.programId().value(),
                event.province(),
                event.currency().name(),
                event.startMonth().toString(),
                event.monthlyRent().amount(),
                event.committed().amount(),
                zero,
                zero,
                zero,
                ACTIVE,
                utc(timestamp),
                null);
        List<Object[]> months = event.schedule().stream()
                .map((ScheduledMonth m) -> new Object[] {
                    event.grantId().value(),
                    m.month().toString(),
                    event.programId().value(),
                    event.province(),
                    event.currency().name(),
                    m.grantYear(),
                    jurisdiction.fiscalYearOf(m.month()),
                    m.committed().amount(),
                    zero,
                    zero,
                    COMMITTED
                })
                .toList();
        jdbc.batchUpdate(
                "INSERT INTO budget_housing_month (grant_id, rent_month, program_id, province, currency,"
                        + " grant_year, fiscal_year, committed, paid, released, status)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                months);
    }

    /**
     * Housing payments are paid when claimed: disbursed and paid at once; the shortfall is released. A payment for a
     * month before the effective month of a terminated grant carries the grant's recomputed clawback due, which
     * replaces the grant's figure (the program's total moves by the difference).
     */
    @EventHandler
    void on(HousingSubsidyPaid event, @SequenceNumber long sequence) {
        BigDecimal amount = event.amount().amount();
        BigDecimal released = event.released().amount();
        boolean clawback = event.clawbackDue() != null;
        String set = "disbursed = disbursed + ?, paid = paid + ?, released = released + ?"
                + (clawback
                        ? ", clawback_due = clawback_due + ? - (SELECT g.clawback_due FROM budget_housing_grant g"
                                + " WHERE g.grant_id = ?)"
                        : "");
        Object[] values = clawback
                ? new Object[] {
                    amount,
                    amount,
                    released,
                    event.clawbackDue().amount(),
                    event.grantId().value()
                }
                : new Object[] {amount, amount, released};
        if (!advance(event, sequence, set, values)) {
            return;
        }
        if (clawback) {
            jdbc.update(
                    "UPDATE budget_housing_grant SET clawback_due = ? WHERE grant_id = ?",
                    event.clawbackDue().amount(),
                    event.grantId().value());
        }
        jdbc.update(
                "UPDATE budget_housing_month SET status = ?, paid = ?, released = ?"
                        + " WHERE grant_id = ? AND rent_month = ?",
                PAID,
                amount,
                released,
                event.grantId().value(),
                event.month().toString());
        jdbc.update(
                "UPDATE budget_housing_grant SET paid = paid + ?, released = released + ? WHERE grant_id = ?",
                amount,
                released,
                event.grantId().value());
    }

    @EventHandler
    void on(HousingMonthsLapsed event, @SequenceNumber long sequence) {
        releaseMonths(event, sequence, event.grantId().value(), event.months(), LAPSED, null);
    }

    @EventHandler
    void on(HousingGrantTerminated event, @SequenceNumber long sequence) {
        releaseMonths(event, sequence, event.grantId().value(), event.releasedMonths(), RELEASED, event);
    }

    private void releaseMonths(
            ProgramStreamEvent event,
            long sequence,
            String grantId,
            List<MonthRelease> months,
            String status,
            HousingGrantTerminated termination) {
        Money total = Money.zero(event.currency());
        for (MonthRelease m : months) {
            total = total.plus(m.released());
        }
        if (!advance(
                event,
                sequence,
                "released = released + ?" + (termination == null ? "" : ", clawback_due = clawback_due + ?"),
                termination == null
                        ? new Object[] {total.amount()}
                        : new Object[] {
                            total.amount(), termination.clawbackDue().amount()
                        })) {
            return;
        }
        jdbc.batchUpdate(
                "UPDATE budget_housing_month SET status = ?, released = ? WHERE grant_id = ? AND rent_month = ?",
                months.stream()
                        .map(m -> new Object[] {
                            status, m.released().amount(), grantId, m.month().toString()
                        })
                        .toList());
        if (termination == null) {
            jdbc.update(
                    "UPDATE budget_housing_grant SET released = released + ? WHERE grant_id = ?",
                    total.amount(),
                    grantId);
        } else {
            jdbc.update(
                    "UPDATE budget_housing_grant SET released = released + ?, clawback_due = ?, status = ?,"
                            + " effective_month = ? WHERE grant_id = ?",
                    total.amount(),
                    termination.clawbackDue().amount(),
                    TERMINATED,
                    termination.effectiveMonth().toString(),
                    grantId);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Applies an event whose writes are running sums ({@link BudgetBatch}): to the batch of the processor's unit of
     * work, written when it commits; outside a unit of work (a scratch replay fed event by event), at once. The change
     * is skipped when the program's row has seen the event's sequence already.
     */
    private void batched(ProgramStreamEvent event, long sequence, BiConsumer<ProgramRow, BudgetBatch> change) {
        boolean inBatch = CurrentUnitOfWork.isStarted();
        BudgetBatch batch = inBatch ? batchOfUnitOfWork() : new BudgetBatch(jdbc);
        ProgramRow program =
                batch.advance(event.programId().value(), event.getClass().getSimpleName(), sequence);
        if (program != null) {
            change.accept(program, batch);
        }
        if (!inBatch) {
            batch.flush();
        }
    }

    private BudgetBatch batchOfUnitOfWork() {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(batchKey, key -> {
            BudgetBatch batch = new BudgetBatch(jdbc);
            root.onPrepareCommit(u -> batch.flush());
            return batch;
        });
    }

    /** Writes what the current unit of work's batch holds, before a statement that reads or writes the same rows. */
    private void flushBatch() {
        if (CurrentUnitOfWork.isStarted()) {
            BudgetBatch batch = CurrentUnitOfWork.get().root().getResource(batchKey);
            if (batch != null) {
                batch.flush();
            }
        }
    }

    /**
     * Applies an event's changes to its program row and records its sequence number, unless an event at or after that
     * sequence was applied already; returns whether the event is new (and the caller should apply the rest). What the
     * batch holds is written first, so the row read is current.
     */
    private boolean advance(ProgramStreamEvent event, long sequence, String set, Object... values) {
        flushBatch();
        Object[] arguments = Arrays.copyOf(values, values.length + 3);
        arguments[values.length] = sequence;
        arguments[values.length + 1] = event.programId().value();
        arguments[values.length + 2] = sequence;
        int updated = jdbc.update(
                "UPDATE budget_program SET " + set + ", last_sequence = ?"
                        + " WHERE program_id = ? AND last_sequence < ?",
                arguments);
        if (updated == 1) {
            return true;
        }
        Integer known = jdbc.queryForObject(
                "SELECT COUNT(*) FROM budget_program WHERE program_id = ?",
                Integer.class,
                event.programId().value());
        if (known == null || known == 0) {
            throw unknownProgram(event.programId().value(), event.getClass().getSimpleName(), sequence);
        }
        return false;
    }

    /**
     * Impossible unless the tables were changed behind the processor's back: fail, so the batch is retried and the
     * problem shows, rather than answering budgets without this program's money.
     */
    static IllegalStateException unknownProgram(String programId, String eventName, long sequence) {
        return new IllegalStateException("Budget read model has no program " + programId + " for " + eventName + " #"
                + sequence + "; reset the 'budget' processor.");
    }

    private String rulesJson(ProgramLaunched event) {
        try {
            return json.writeValueAsString(event.rules());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rules of " + event.programId() + " cannot be written as JSON", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
