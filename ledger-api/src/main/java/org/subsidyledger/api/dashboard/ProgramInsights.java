package org.subsidyledger.api.dashboard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.subsidyledger.api.security.ProvinceScope;
import org.subsidyledger.api.store.JdbcLedgerIndex;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Text;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.ModelAccessRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * What a program page shows beyond the program view: issues and redemptions by month (in the province's time zone),
 * who received the subsidies (beneficiary corporate groups and provider groups, with their shares and the
 * Herfindahl-Hirschman index on the 0–10,000 scale, the figures the concentration alerts use), the redemption rate
 * (redeemed / face value issued) and the lapse rate (value released by expiry / face value of vouchers that have ended,
 * as the LAPSE_RATE alert counts it). Computed from the program's own event stream, which holds every event of its
 * vouchers and grants, so the figures come from the log alone; and the vouchers and grants of a program, paged and
 * searchable, from the budget read model.
 */
@Service
public class ProgramInsights {
    static final int MAX_LIMIT = 500;
    private static final int TOP = 10;

    private final EventStorageEngine storageEngine;
    private final JdbcLedgerIndex index;
    private final ProvinceScope scope;
    private final JdbcTemplate jdbc;

    public ProgramInsights(
            EventStorageEngine storageEngine, JdbcLedgerIndex index, ProvinceScope scope, JdbcTemplate jdbc) {
        this.storageEngine = storageEngine;
        this.index = index;
        this.scope = scope;
        this.jdbc = jdbc;
    }

    public record Activity(
            String programId,
            String currency,
            List<Month> months,
            List<Share> beneficiaryGroups,
            String beneficiaryHhi,
            List<Share> providerGroups,
            String providerHhi,
            String issuedFaceValue,
            String redeemed,
            String redemptionRate,
            String releasedByExpiry,
            String endedFaceValue,
            String lapseRate) {}

    /** One month: vouchers issued and their face value, redemptions and their subsidy, grants and housing paid. */
    public record Month(
            String month,
            int issued,
            String issuedValue,
            int redemptions,
            String redeemedValue,
            int grants,
            String housingPaid) {}

    public record Share(String group, String amount, String share) {}

    public record Page<T>(List<T> items, int offset, int limit, long total) {}

    public record VoucherRow(
            String voucherId,
            String status,
            String faceValue,
            String redeemed,
            String remaining,
            String issuedAt,
            String expiresAt) {}

    public record GrantRow(
            String grantId,
            String status,
            String startMonth,
            String monthlyRent,
            String committed,
            String paid,
            String released,
            String grantedAt) {}

    public Activity activity(String programIdText) {
        ProgramId programId = visible(programIdText);
        Jurisdiction jurisdiction =
                Jurisdiction.parse(index.provinceOfProgram(programId).orElseThrow());
        Map<YearMonth, MonthTally> months = new TreeMap<>();
        Map<String, BigDecimal> beneficiaries = new HashMap<>();
        Map<String, BigDecimal> providers = new HashMap<>();
        Map<String, BigDecimal> faceOf = new HashMap<>();
        Set<String> ended = new HashSet<>();
        BigDecimal issued = BigDecimal.ZERO;
        BigDecimal redeemed = BigDecimal.ZERO;
        BigDecimal releasedByExpiry = BigDecimal.ZERO;
        String currency = null;
        DomainEventStream stream = storageEngine.readEvents(programId.value());
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            Object payload = event.getPayload();
            MonthTally month =
                    months.computeIfAbsent(jurisdiction.monthOf(event.getTimestamp()), m -> new MonthTally());
            if (payload instanceof VoucherIssued v) {
                currency = v.currency().name();
                month.issued++;
                month.issuedValue = month.issuedValue.add(v.faceValue().amount());
                issued = issued.add(v.faceValue().amount());
                faceOf.put(v.voucherId().value(), v.faceValue().amount());
            } else if (payload instanceof Redeemed r) {
                BigDecimal subsidy = r.subsidy().amount();
                month.redemptions++;
                month.redeemedValue = month.redeemedValue.add(subsidy);
                redeemed = redeemed.add(subsidy);
                beneficiaries.merge(beneficiaryGroupOf(r), subsidy, BigDecimal::add);
                providers.merge(
                        r.providerGroup() != null
                                ? r.providerGroup()
                                : r.providerId().value(),
                        subsidy,
                        BigDecimal::add);
                if (!r.remaining().isPositive()) {
                    ended.add(r.voucherId().value());
                }
            } else if (payload instanceof VoucherExpired e) {
                releasedByExpiry = releasedByExpiry.add(e.released().amount());
                ended.add(e.voucherId().value());
            } else if (payload instanceof VoucherRevoked r) {
                ended.add(r.voucherId().value());
            } else if (payload instanceof HousingSubsidyGranted g) {
                currency = g.currency().name();
                month.grants++;
            } else if (payload instanceof HousingSubsidyPaid p) {
                currency = p.currency().name();
                month.housingPaid = month.housingPaid.add(p.amount().amount());
            } else if (payload instanceof ProgramLaunched l) {
                currency = l.currency().name();
            }
        }
        BigDecimal endedFace = ended.stream()
                .map(id -> faceOf.getOrDefault(id, BigDecimal.ZERO))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        List<Month> monthList = new ArrayList<>();
        months.forEach((m, t) -> monthList.add(new Month(
                m.toString(),
                t.issued,
                money(t.issuedValue),
                t.redemptions,
                money(t.redeemedValue),
                t.grants,
                money(t.housingPaid))));
        return new Activity(
                programId.value(),
                currency,
                monthList,
                shares(beneficiaries),
                hhi(beneficiaries),
                shares(providers),
                hhi(providers),
                money(issued),
                money(redeemed),
                ratio(redeemed, issued),
                money(releasedByExpiry),
                money(endedFace),
                ratio(releasedByExpiry, endedFace));
    }

    /** The beneficiary's corporate group, or the beneficiary itself when it belongs to none. */
    private static String beneficiaryGroupOf(Redeemed r) {
        String group;
        String beneficiary;
        if (r instanceof ComputeRedeemed c) {
            group = c.corporateGroup();
            beneficiary = c.beneficiaryId();
        } else {
            ModelAccessRedeemed m = (ModelAccessRedeemed) r;
            group = m.corporateGroup();
            beneficiary = m.beneficiaryId();
        }
        return group != null ? group : beneficiary;
    }

    /** Vouchers of a program, ordered by id; {@code q} keeps those whose id contains it (case-insensitive). */
    public Page<VoucherRow> vouchers(String programIdText, String q, Integer offset, Integer limit) {
        ProgramId programId = visible(programIdText);
        int from = offset(offset);
        int size = limit(limit);
        String like = like(q);
        long total = jdbc.queryForObject(
                "SELECT COUNT(*) FROM budget_voucher WHERE program_id = ? AND " + "LOWER(voucher_id) LIKE ?",
                Long.class,
                programId.value(),
                like);
        List<VoucherRow> rows = jdbc.query(
                "SELECT voucher_id, status, face_value, redeemed, remaining, issued_at, "
                        + "expires_at FROM budget_voucher WHERE program_id = ? AND LOWER(voucher_id) LIKE ? "
                        + "ORDER BY voucher_id LIMIT ? OFFSET ?",
                (rs, i) -> new VoucherRow(
                        rs.getString(1),
                        rs.getString(2),
                        money(rs.getBigDecimal(3)),
                        money(rs.getBigDecimal(4)),
                        money(rs.getBigDecimal(5)),
                        rs.getTimestamp(6).toInstant().toString(),
                        rs.getTimestamp(7).toInstant().toString()),
                programId.value(),
                like,
                size,
                from);
        return new Page<>(rows, from, size, total);
    }

    /** Housing grants of a program, ordered by id; {@code q} keeps those whose id contains it (case-insensitive). */
    public Page<GrantRow> grants(String programIdText, String q, Integer offset, Integer limit) {
        ProgramId programId = visible(programIdText);
        int from = offset(offset);
        int size = limit(limit);
        String like = like(q);
        long total = jdbc.queryForObject(
                "SELECT COUNT(*) FROM budget_housing_grant WHERE program_id = ? AND " + "LOWER(grant_id) LIKE ?",
                Long.class,
                programId.value(),
                like);
        List<GrantRow> rows = jdbc.query(
                "SELECT grant_id, status, start_month, monthly_rent, committed, paid, "
                        + "released, granted_at FROM budget_housing_grant WHERE program_id = ? AND LOWER(grant_id) LIKE ? "
                        + "ORDER BY grant_id LIMIT ? OFFSET ?",
                (rs, i) -> new GrantRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        money(rs.getBigDecimal(4)),
                        money(rs.getBigDecimal(5)),
                        money(rs.getBigDecimal(6)),
                        money(rs.getBigDecimal(7)),
                        rs.getTimestamp(8).toInstant().toString()),
                programId.value(),
                like,
                size,
                from);
        return new Page<>(rows, from, size, total);
    }

    /** A program id of a program the caller may see; otherwise 404 (another province's program is not revealed). */
    private ProgramId visible(String programIdText) {
        ProgramId programId = ProgramId.of(programIdText);
        scope.requireVisible(programId, "Program " + programId);
        if (index.provinceOfProgram(programId).isEmpty()) {
            throw new LedgerRejection(RejectionCode.NOT_FOUND, "Program " + programId + " was not found.");
        }
        return programId;
    }

    private static int offset(Integer offset) {
        if (offset != null && offset < 0) {
            throw new LedgerRejection(RejectionCode.VALIDATION_FAILED, "offset must be 0 or more.");
        }
        return offset == null ? 0 : offset;
    }

    private static int limit(Integer limit) {
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new LedgerRejection(
                    RejectionCode.VALIDATION_FAILED, "limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return limit == null ? 50 : limit;
    }

    private static String like(String q) {
        if (q == null || q.isBlank()) {
            return "%";
        }
        if (q.length() > 64) {
            throw new LedgerRejection(RejectionCode.VALIDATION_FAILED, "q '" + Text.shown(q) + "' is longer than 64.");
        }
        String escaped =
                q.trim().toLowerCase().replace("\\", "").replace("%", "").replace("_", "");
        return "%" + escaped + "%";
    }

    /** The largest groups first (ties by name), each with its share of the total to four decimals. */
    private static List<Share> shares(Map<String, BigDecimal> amounts) {
        BigDecimal total = amounts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return amounts.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP)
                .map(e -> new Share(e.getKey(), money(e.getValue()), ratio(e.getValue(), total)))
                .toList();
    }

    /** Σ (100 × share)², exact shares, shown with four decimals; null without any amount. */
    private static String hhi(Map<String, BigDecimal> amounts) {
        BigDecimal total = amounts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (total.signum() == 0) {
            return null;
        }
        BigDecimal sumOfSquares =
                amounts.values().stream().map(a -> a.multiply(a)).reduce(BigDecimal.ZERO, BigDecimal::add);
        return sumOfSquares
                .multiply(BigDecimal.valueOf(10_000))
                .divide(total.multiply(total), 4, RoundingMode.HALF_UP)
                .toPlainString();
    }

    private static String ratio(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0
                ? null
                : part.divide(whole, 4, RoundingMode.HALF_UP).toPlainString();
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    private static final class MonthTally {
        int issued;
        BigDecimal issuedValue = BigDecimal.ZERO;
        int redemptions;
        BigDecimal redeemedValue = BigDecimal.ZERO;
        int grants;
        BigDecimal housingPaid = BigDecimal.ZERO;
    }
}
