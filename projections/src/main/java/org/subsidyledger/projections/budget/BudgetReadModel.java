package org.subsidyledger.projections.budget;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.voucher.VoucherStatus;

/**
 * Reads the tables {@link BudgetProjector} writes. {@code committed} is computed here by SQL, bottom-up (SPEC §4): the
 * sum of {@code remaining} over the program's ACTIVE vouchers plus the sum of {@code committed} over its housing months
 * still COMMITTED. The vouchers are read through {@code budget_voucher_total}, their count and remaining value per
 * program, status and fiscal year of expiry, which the projection keeps in the same transactions as the voucher rows:
 * a province's figures are read from a few rows per program, however many vouchers it issued.
 */
public class BudgetReadModel {
    private static final String COMMITTED_OF_PROGRAM = "COALESCE((SELECT SUM(v.remaining) FROM budget_voucher_total v"
            + " WHERE v.program_id = p.program_id AND v.status = 'ACTIVE'), 0)"
            + " + COALESCE((SELECT SUM(m.committed) FROM budget_housing_month m"
            + " WHERE m.program_id = p.program_id AND m.status = 'COMMITTED'), 0)";
    private static final String PROGRAM_COLUMNS = "p.program_id, p.name, p.kind, p.province, p.city, p.currency,"
            + " p.rules, p.status, p.appropriated, p.disbursed, p.paid, p.released, p.clawback_due, "
            + COMMITTED_OF_PROGRAM
            + " AS committed FROM budget_program p";

    private final JdbcTemplate jdbc;

    public BudgetReadModel(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every program of a province (all provinces when {@code province} is null), ordered by id. */
    public List<ProgramFigures> programs(String province) {
        return summaries(province, false).stream()
                .map(s -> new ProgramFigures(s.program(), s.figures()))
                .toList();
    }

    /** Programs with rules, status and counts, for program listings. */
    public List<ProgramSummary> summaries(String province) {
        return summaries(province, true);
    }

    private List<ProgramSummary> summaries(String province, boolean withCounts) {
        String where = province == null ? "" : " WHERE p.province = ?";
        Object[] arguments = province == null ? new Object[0] : new Object[] {province};
        List<ProgramSummary> rows = jdbc.query(
                "SELECT " + PROGRAM_COLUMNS + where + " ORDER BY p.program_id", (rs, n) -> summary(rs), arguments);
        if (!withCounts || rows.isEmpty()) {
            return rows;
        }
        Map<String, Map<String, Long>> vouchers = counts(
                "SELECT v.program_id, v.status, SUM(v.vouchers) FROM budget_voucher_total v"
                        + " JOIN budget_program p ON p.program_id = v.program_id" + where
                        + " GROUP BY v.program_id, v.status",
                arguments);
        Map<String, Map<String, Long>> grants = counts(
                "SELECT g.program_id, g.status, COUNT(*)"
                        + " FROM budget_housing_grant g JOIN budget_program p ON p.program_id = g.program_id" + where
                        + " GROUP BY g.program_id, g.status",
                arguments);
        List<ProgramSummary> result = new ArrayList<>();
        for (ProgramSummary row : rows) {
            String id = row.program().programId().value();
            Map<String, Long> byStatus = new LinkedHashMap<>();
            for (VoucherStatus status : VoucherStatus.values()) {
                byStatus.put(status.name(), vouchers.getOrDefault(id, Map.of()).getOrDefault(status.name(), 0L));
            }
            Map<String, Long> grantsByStatus = new LinkedHashMap<>();
            for (String status : List.of(BudgetProjector.ACTIVE, BudgetProjector.TERMINATED)) {
                grantsByStatus.put(status, grants.getOrDefault(id, Map.of()).getOrDefault(status, 0L));
            }
            result.add(new ProgramSummary(
                    row.program(), row.rulesJson(), row.closed(), row.figures(), byStatus, grantsByStatus));
        }
        return result;
    }

    /**
     * What the programs of a province (all provinces when null) still owe, per program and fiscal year: remaining value
     * of ACTIVE vouchers by the fiscal year they expire in, housing months still COMMITTED by their own fiscal year.
     */
    public List<Liability> liabilities(String province) {
        String where = province == null ? "" : " AND province = ?";
        Object[] arguments = province == null ? new Object[0] : new Object[] {province, province};
        return jdbc.query(
                "SELECT program_id, currency, fiscal_year, SUM(amount) AS amount FROM ("
                        + " SELECT program_id, currency, expiry_fiscal_year AS fiscal_year, remaining AS amount"
                        + " FROM budget_voucher_total WHERE status = 'ACTIVE' AND remaining > 0" + where
                        + " UNION ALL"
                        + " SELECT program_id, currency, fiscal_year, committed AS amount"
                        + " FROM budget_housing_month WHERE status = 'COMMITTED'" + where
                        + ") due GROUP BY program_id, currency, fiscal_year ORDER BY program_id, fiscal_year",
                (rs, n) -> new Liability(
                        ProgramId.of(rs.getString("program_id")),
                        rs.getInt("fiscal_year"),
                        money(rs.getBigDecimal("amount"), CurrencyCode.valueOf(rs.getString("currency")))),
                arguments);
    }

    /** Rows per table, for operators and tests (a reset empties them all). */
    public Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : BudgetProjector.TABLES) {
            counts.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        return counts;
    }

    private Map<String, Map<String, Long>> counts(String sql, Object[] arguments) {
        Map<String, Map<String, Long>> counts = new HashMap<>();
        jdbc.query(
                sql,
                rs -> {
                    counts.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2), rs.getLong(3));
                },
                arguments);
        return counts;
    }

    private static ProgramSummary summary(ResultSet rs) throws SQLException {
        CurrencyCode currency = CurrencyCode.valueOf(rs.getString("currency"));
        ProgramDefinition program = new ProgramDefinition(
                ProgramId.of(rs.getString("program_id")),
                rs.getString("name"),
                ProgramKind.valueOf(rs.getString("kind")),
                rs.getString("province"),
                rs.getString("city"),
                currency);
        BudgetFigures figures = new BudgetFigures(
                money(rs.getBigDecimal("appropriated"), currency),
                money(rs.getBigDecimal("committed"), currency),
                money(rs.getBigDecimal("disbursed"), currency),
                money(rs.getBigDecimal("paid"), currency),
                money(rs.getBigDecimal("released"), currency),
                money(rs.getBigDecimal("clawback_due"), currency));
        return new ProgramSummary(
                program,
                rs.getString("rules"),
                BudgetProjector.CLOSED.equals(rs.getString("status")),
                figures,
                Map.of(),
                Map.of());
    }

    private static Money money(BigDecimal amount, CurrencyCode currency) {
        return Money.rounded(amount, currency);
    }
}
