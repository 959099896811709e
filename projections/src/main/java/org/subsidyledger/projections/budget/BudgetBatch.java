package org.subsidyledger.projections.budget;

import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * The budget rows changed by one batch of events, held in memory and written once, when the batch commits.
 *
 * <p>A redemption, a settlement, an issue, an expiry and a revocation each move a few running sums of their program's
 * row and of their voucher's row. Written event by event, that is two or three statements per event; folded here, a
 * batch of events costs one statement per program and per voucher it touched, sent in JDBC batches
 * ({@link #flush()}). The figures written are the same sums, so the tables end where the event-by-event writes would
 * have left them.
 *
 * <p>Each program's {@code last_sequence} is read once per batch, at the program's first event, and then advanced in
 * memory, so an event at or below it is skipped exactly as before; the program's update is conditional on the stored
 * sequence still being the one read, and a batch whose program row moved meanwhile fails (and is retried) rather than
 * counting an event twice.
 *
 * <p>Events whose writes are not running sums (a launch, a closure, housing) are written directly, after
 * {@link #flush()}: the tables are then exactly as the event-by-event writes would have left them.
 */
final class BudgetBatch {
    /** The program row's running sums that the batched events move. */
    enum Flow {
        APPROPRIATED("appropriated"),
        ISSUED("issued"),
        DISBURSED("disbursed"),
        PAID("paid"),
        RELEASED("released");

        private final String column;

        Flow(String column) {
            this.column = column;
        }
    }

    private static final String UPDATE_PROGRAM;

    static {
        StringBuilder set = new StringBuilder();
        for (Flow flow : Flow.values()) {
            set.append(flow.column).append(" = ").append(flow.column).append(" + ?, ");
        }
        UPDATE_PROGRAM =
                "UPDATE budget_program SET " + set + "last_sequence = ? WHERE program_id = ? AND last_sequence = ?";
    }

    private static final String UPDATE_VOUCHER =
            "UPDATE budget_voucher SET redeemed = redeemed + ?, settled = settled + ?, released = released + ?,"
                    + " remaining = remaining - ?, status = COALESCE(?, status) WHERE voucher_id = ?";

    private static final String INSERT_VOUCHER =
            "INSERT INTO budget_voucher (voucher_id, program_id, province, currency, status, face_value,"
                    + " redeemed, settled, released, remaining, issued_at, expires_at, issue_fiscal_year,"
                    + " expiry_fiscal_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final Map<String, ProgramRow> programs = new LinkedHashMap<>();
    private final Map<String, VoucherRow> vouchers = new LinkedHashMap<>();

    BudgetBatch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The program's row in this batch, or null when the event at {@code sequence} was applied to it before (skip it).
     * A program unknown to the read model fails the batch, as it would have left the budgets without its money.
     */
    ProgramRow advance(String programId, String eventName, long sequence) {
        ProgramRow row = programs.get(programId);
        if (row == null) {
            List<Long> stored = jdbc.queryForList(
                    "SELECT last_sequence FROM budget_program WHERE program_id = ?", Long.class, programId);
            if (stored.isEmpty()) {
                throw BudgetProjector.unknownProgram(programId, eventName, sequence);
            }
            row = new ProgramRow(stored.get(0));
            programs.put(programId, row);
        }
        if (sequence <= row.lastSequence) {
            return null;
        }
        row.lastSequence = sequence;
        return row;
    }

    /** A voucher issued in this batch; {@code values} are {@link #INSERT_VOUCHER}'s, with remaining = face value. */
    void insertVoucher(String voucherId, Object[] values) {
        vouchers.put(voucherId, new VoucherRow(values));
    }

    /** The changes to a voucher's row in this batch. */
    VoucherRow voucher(String voucherId) {
        return vouchers.computeIfAbsent(voucherId, id -> new VoucherRow(null));
    }

    /** Writes every pending change and forgets the rows read: the tables are then current. */
    void flush() {
        Totals totals = new Totals();
        countChanges(totals);
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        vouchers.forEach((voucherId, row) -> {
            if (row.insert != null) {
                inserts.add(row.inserted());
            } else {
                // typed, so that a null status (unchanged) needs no look-up of the parameter's type
                updates.add(new Object[] {
                    row.redeemed,
                    row.settled,
                    row.released,
                    row.spent(),
                    new SqlParameterValue(Types.VARCHAR, row.status),
                    voucherId
                });
            }
        });
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(INSERT_VOUCHER, inserts);
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate(UPDATE_VOUCHER, updates);
        }
        totals.write(jdbc);
        List<String> ids = new ArrayList<>();
        List<Object[]> programUpdates = new ArrayList<>();
        programs.forEach((programId, row) -> {
            if (row.lastSequence != row.readSequence) {
                ids.add(programId);
                programUpdates.add(row.update(programId));
            }
        });
        if (!programUpdates.isEmpty()) {
            int[] counts = jdbc.batchUpdate(UPDATE_PROGRAM, programUpdates);
            for (int i = 0; i < counts.length; i++) {
                // SUCCESS_NO_INFO (-2) is a driver that does not count rows in a batch: nothing to check then.
                if (counts[i] == 0) {
                    throw new IllegalStateException("The budget row of program " + ids.get(i)
                            + " changed while a batch was applied to it; the batch is retried.");
                }
            }
        }
        programs.clear();
        vouchers.clear();
    }

    /**
     * The changes to {@code budget_voucher_total}: a voucher issued in this batch is counted under its status and fiscal
     * year of expiry; a stored voucher the batch changes moves from the total of its stored status (and remaining
     * value) to the total of its new one. The stored vouchers are read in one query.
     */
    private void countChanges(Totals totals) {
        List<String> stored = new ArrayList<>();
        vouchers.forEach((voucherId, row) -> {
            if (row.insert != null) {
                Object[] values = row.inserted();
                totals.add(
                        new TotalKey((String) values[VoucherRow.PROGRAM], (String) values[VoucherRow.STATUS], (Integer)
                                values[VoucherRow.EXPIRY_YEAR]),
                        (String) values[VoucherRow.PROVINCE],
                        (String) values[VoucherRow.CURRENCY],
                        1,
                        (BigDecimal) values[VoucherRow.REMAINING]);
            } else {
                stored.add(voucherId);
            }
        });
        for (int from = 0; from < stored.size(); from += 500) {
            List<String> chunk = stored.subList(from, Math.min(stored.size(), from + 500));
            jdbc.query(
                    "SELECT voucher_id, program_id, status, expiry_fiscal_year, province, currency, remaining"
                            + " FROM budget_voucher WHERE voucher_id IN ("
                            + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> {
                        VoucherRow row = vouchers.get(rs.getString("voucher_id"));
                        String programId = rs.getString("program_id");
                        String status = rs.getString("status");
                        int year = rs.getInt("expiry_fiscal_year");
                        String province = rs.getString("province");
                        String currency = rs.getString("currency");
                        BigDecimal remaining = rs.getBigDecimal("remaining");
                        totals.add(new TotalKey(programId, status, year), province, currency, -1, remaining.negate());
                        totals.add(
                                new TotalKey(programId, row.status != null ? row.status : status, year),
                                province,
                                currency,
                                1,
                                remaining.subtract(row.spent()));
                    },
                    chunk.toArray());
        }
    }

    /** One row of {@code budget_voucher_total}. */
    private record TotalKey(String programId, String status, int expiryYear) {}

    /** What a batch adds to each row of {@code budget_voucher_total}. */
    private static final class Totals {
        private final Map<TotalKey, Object[]> changes = new LinkedHashMap<>();

        void add(TotalKey key, String province, String currency, long vouchers, BigDecimal remaining) {
            Object[] change = changes.computeIfAbsent(key, k -> new Object[] {province, currency, 0L, BigDecimal.ZERO});
            change[2] = (Long) change[2] + vouchers;
            change[3] = ((BigDecimal) change[3]).add(remaining);
        }

        /** Adds the changes to the stored rows, creates the rows not stored yet, and drops rows left counting none. */
        void write(JdbcTemplate jdbc) {
            List<TotalKey> keys = new ArrayList<>();
            List<Object[]> updates = new ArrayList<>();
            changes.forEach((key, change) -> {
                if ((Long) change[2] != 0 || ((BigDecimal) change[3]).signum() != 0) {
                    keys.add(key);
                    updates.add(new Object[] {change[2], change[3], key.programId(), key.status(), key.expiryYear()});
                }
            });
            if (keys.isEmpty()) {
                return;
            }
            int[] counts = jdbc.batchUpdate(
                    "UPDATE budget_voucher_total SET vouchers = vouchers + ?, remaining = remaining + ?"
                            + " WHERE program_id = ? AND status = ? AND expiry_fiscal_year = ?",
                    updates);
            List<Object[]> inserts = new ArrayList<>();
            List<Object[]> emptied = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                TotalKey key = keys.get(i);
                Object[] change = changes.get(key);
                if (counts[i] == 0) {
                    inserts.add(new Object[] {
                        key.programId(), key.status(), key.expiryYear(), change[0], change[1], change[2], change[3]
                    });
                } else if ((Long) change[2] < 0) {
                    emptied.add(new Object[] {key.programId(), key.status(), key.expiryYear()});
                }
            }
            if (!inserts.isEmpty()) {
                jdbc.batchUpdate(
                        "INSERT INTO budget_voucher_total (program_id, status, expiry_fiscal_year, province, currency,"
                                + " vouchers, remaining) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        inserts);
            }
            if (!emptied.isEmpty()) {
                jdbc.batchUpdate(
                        "DELETE FROM budget_voucher_total WHERE program_id = ? AND status = ?"
                                + " AND expiry_fiscal_year = ? AND vouchers = 0",
                        emptied);
            }
        }
    }

    /** A program's row as this batch leaves it: the sums it adds and the sequence it reaches. */
    static final class ProgramRow {
        private final long readSequence;
        private long lastSequence;
        private final Map<Flow, BigDecimal> flows = new EnumMap<>(Flow.class);

        private ProgramRow(long readSequence) {
            this.readSequence = readSequence;
            this.lastSequence = readSequence;
        }

        ProgramRow add(Flow flow, BigDecimal amount) {
            flows.merge(flow, amount, BigDecimal::add);
            return this;
        }

        private Object[] update(String programId) {
            Flow[] all = Flow.values();
            Object[] values = new Object[all.length + 3];
            for (Flow flow : all) {
                values[flow.ordinal()] = flows.getOrDefault(flow, BigDecimal.ZERO);
            }
            values[all.length] = lastSequence;
            values[all.length + 1] = programId;
            values[all.length + 2] = readSequence;
            return values;
        }
    }

    /** A voucher's row as this batch leaves it: inserted in it, or the sums added to the stored row. */
    static final class VoucherRow {
        /** Indexes among {@link #INSERT_VOUCHER}'s values. */
        private static final int PROGRAM = 1;

        private static final int PROVINCE = 2;
        private static final int CURRENCY = 3;
        private static final int STATUS = 4;

        private static final int REDEEMED = 6;
        private static final int SETTLED = 7;
        private static final int RELEASED = 8;
        private static final int REMAINING = 9;
        private static final int EXPIRY_YEAR = 13;

        private final Object[] insert;
        private BigDecimal redeemed = BigDecimal.ZERO;
        private BigDecimal settled = BigDecimal.ZERO;
        private BigDecimal released = BigDecimal.ZERO;
        private BigDecimal spent = BigDecimal.ZERO;
        private String status;

        private VoucherRow(Object[] insert) {
            this.insert = insert;
        }

        /** A redemption: redeemed up, remaining down by the subsidy; the status the redemption leaves. */
        void redeem(BigDecimal subsidy, String newStatus) {
            redeemed = redeemed.add(subsidy);
            spent = spent.add(subsidy);
            status = newStatus;
        }

        void settle(BigDecimal amount) {
            settled = settled.add(amount);
        }

        /** An expiry or revocation: the remaining value released, the voucher ended. */
        void end(String newStatus, BigDecimal amount) {
            released = released.add(amount);
            spent = spent.add(amount);
            status = newStatus;
        }

        private BigDecimal spent() {
            return spent;
        }

        private Object[] inserted() {
            Object[] values = insert.clone();
            if (status != null) {
                values[STATUS] = status;
            }
            values[REDEEMED] = ((BigDecimal) values[REDEEMED]).add(redeemed);
            values[SETTLED] = ((BigDecimal) values[SETTLED]).add(settled);
            values[RELEASED] = ((BigDecimal) values[RELEASED]).add(released);
            values[REMAINING] = ((BigDecimal) values[REMAINING]).subtract(spent);
            return values;
        }
    }
}
