package org.subsidyledger.api.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.budget.BudgetContract.cny;
import static org.subsidyledger.api.budget.BudgetContract.currency;
import static org.subsidyledger.api.budget.BudgetContract.firm;
import static org.subsidyledger.api.budget.BudgetContract.person;
import static org.subsidyledger.api.budget.BudgetContract.redeem;
import static org.subsidyledger.api.budget.BudgetContract.uscc;
import static org.subsidyledger.api.budget.BudgetContract.vouchers;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherCommands.ExpireVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;

/**
 * {@code GET /provinces/{code}/budget/series}: every point equals {@code /budget?asOf=} at its instant, by month, week
 * and day, also after an event was appended with an event time earlier than events already in the log (the case the
 * one-pass fold must detect and fold again); officers are scoped; bad parameters are 400. Through the real
 * application, on a database of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BudgetSeriesContract {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T02:00:00Z"));
    BudgetNode node;

    abstract Map<String, Object> createDatabase();

    abstract void dropDatabase();

    @BeforeAll
    void startLedger() {
        node = BudgetNode.start(createDatabase(), clock, true);
        history();
    }

    @AfterAll
    void stopLedger() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            dropDatabase();
        }
    }

    private final ProgramId compute = ProgramId.of("fj-xm-compute");
    private final ProgramId housing = ProgramId.of("fj-fz-housing");
    private final ProgramId other = ProgramId.of("ha-zz-compute");

    /** Fujian: compute vouchers in Xiamen and housing in Fuzhou over five months; Henan: a program of its own. */
    private void history() {
        ProviderId cloud = ProviderId.of("fj-cloud");
        clock.set(Instant.parse("2026-01-06T01:00:00Z"));
        node.send(new AccreditProvider(
                cloud, "Fujian Cloud", uscc("91350000MA1K00001"), ProviderKind.COMPUTE, null, null));
        node.send(new LaunchProgram(
                compute,
                "Xiamen compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-FJ",
                "Xiamen",
                CurrencyCode.CNY,
                vouchers("0.40", "5000000.00", 60)));
        node.send(new AppropriateFunds(compute, cny("3000000.00"), "XM-2026"));
        node.send(new LaunchProgram(
                other,
                "Zhengzhou compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-HA",
                "Zhengzhou",
                CurrencyCode.CNY,
                vouchers("0.40", "5000000.00", 60)));
        node.send(new AppropriateFunds(other, cny("9000000.00"), "ZZ-2026"));

        clock.set(Instant.parse("2026-01-20T03:00:00Z"));
        node.send(new IssueVoucher(compute, VoucherId.of("fj-v1"), firm(31), cny("1000000.00")));
        node.send(new IssueVoucher(compute, VoucherId.of("fj-v2"), firm(32), cny("500000.00")));
        clock.set(Instant.parse("2026-01-31T15:59:59Z")); // one second before February in Fujian (UTC+8)
        node.send(redeem(compute, "fj-v1", "fj-r1", "fj-c1", "fj-i1", cloud, "250000.00"));
        clock.set(Instant.parse("2026-01-31T16:00:00Z")); // the first instant of February: still in January's point
        node.send(new SettleRedemption(compute, VoucherId.of("fj-v1"), RedemptionId.of("fj-r1"), "fj-pay-1"));

        clock.set(Instant.parse("2026-02-10T01:00:00Z"));
        node.send(new LaunchProgram(
                housing,
                "Fuzhou talent housing",
                ProgramKind.HOUSING_SUBSIDY,
                "CN-FJ",
                "Fuzhou",
                CurrencyCode.CNY,
                new HousingSettings(List.of(Ratio.of("0.5")), cny("6000.00"), cny("50000.00"), 1, null)));
        node.send(new AppropriateFunds(housing, cny("200000.00"), "FZ-2026"));
        node.send(new GrantHousingSubsidy(
                housing, GrantId.of("fj-g1"), person("fj-talent-1"), YearMonth.of(2026, 2), cny("8000.00")));
        clock.set(Instant.parse("2026-03-22T01:00:00Z"));
        node.send(new ExpireVoucher(compute, VoucherId.of("fj-v1")));
        node.send(new ExpireVoucher(compute, VoucherId.of("fj-v2")));
        node.send(new ClaimHousingSubsidy(
                housing, GrantId.of("fj-g1"), YearMonth.of(2026, 2), cny("8000.00"), "fz-lease"));
        clock.set(Instant.parse("2026-04-15T01:00:00Z"));
        node.send(new RescindFunds(compute, cny("100000.00"), "unused"));
        clock.set(Instant.parse("2026-05-10T00:00:00Z"));
        BudgetNode.awaitProjection(node);
    }

    @Test
    void everyPointEqualsAsOfByMonthWeekAndDay() {
        JsonNode months = series("from=2026-01-01T00:00:00Z&to=2026-05-01T00:00:00Z&interval=month");
        assertThat(instants(months))
                .containsExactly(
                        "2026-01-31T16:00:00Z",
                        "2026-02-28T16:00:00Z",
                        "2026-03-31T16:00:00Z",
                        "2026-04-30T16:00:00Z",
                        "2026-05-01T00:00:00Z");
        assertEveryPointEqualsAsOf(months);
        // January's end includes the settlement stamped at that very instant, and the redemption before it.
        JsonNode january = currency(months.get("points").get(0), "CNY");
        assertThat(january.get("disbursed").asText()).isEqualTo("100000.00");
        assertThat(january.get("paid").asText()).isEqualTo("100000.00");
        assertThat(january.get("byCity")).hasSize(1);
        assertThat(currency(months.get("points").get(1), "CNY").get("byCity")).hasSize(2);

        JsonNode weeks = series("from=2026-01-01T00:00:00Z&to=2026-05-01T00:00:00Z&interval=week");
        assertThat(weeks.get("points").size()).isEqualTo(18);
        assertEveryPointEqualsAsOf(weeks);

        JsonNode days = series("from=2026-01-15T00:00:00Z&to=2026-04-20T00:00:00Z&interval=day");
        assertThat(days.get("points").size()).isEqualTo(96);
        assertEveryPointEqualsAsOf(days);

        JsonNode defaults = series(null);
        assertThat(defaults.get("interval").asText()).isEqualTo("month");
        assertThat(defaults.get("points").size()).isEqualTo(25); // 24 month ends in two years, then now
        assertEveryPointEqualsAsOf(defaults);
    }

    /**
     * An appropriation appended now but stamped in February (event time behind the log, as a second node's clock may
     * be): February's and March's points include it, exactly as asOf does, though the fold had passed them.
     */
    @Test
    void anEventStampedBeforePointsAlreadyFoldedIsCountedWhereAsOfCountsIt() {
        String range = "from=2026-01-01T00:00:00Z&to=2026-04-01T00:00:00Z&interval=month";
        JsonNode before = series(range);
        Instant now = clock.instant();
        try {
            clock.set(Instant.parse("2026-02-15T00:00:00Z"));
            node.send(new AppropriateFunds(compute, cny("7000.00"), "XM-late"));
        } finally {
            clock.set(now);
        }
        BudgetNode.awaitProjection(node);
        JsonNode after = series(range);
        assertEveryPointEqualsAsOf(after);
        List<String> grew = new ArrayList<>();
        for (int i = 0; i < after.get("points").size(); i++) {
            String was = currency(before.get("points").get(i), "CNY")
                    .get("appropriated")
                    .asText();
            String is = currency(after.get("points").get(i), "CNY")
                    .get("appropriated")
                    .asText();
            if (!was.equals(is)) {
                grew.add(after.get("points").get(i).get("asOf").asText() + ": " + was + " -> " + is);
            }
        }
        assertThat(grew)
                .containsExactly(
                        "2026-02-28T16:00:00Z: 3200000.00 -> 3207000.00",
                        "2026-03-31T16:00:00Z: 3200000.00 -> 3207000.00",
                        "2026-04-01T00:00:00Z: 3200000.00 -> 3207000.00");
    }

    @Test
    void anOfficerSeesTheirOwnProvinceOnlyAndBadParametersAreRefused() {
        // another province's past is refused before the server folds the log for it (issue 17)
        double folds = logFolds();
        assertThat(node.get("/provinces/CN-FJ/budget/series?interval=month", "officer-cn-ha")
                        .status())
                .isEqualTo(404);
        assertThat(node.get("/provinces/CN-FJ/budget?asOf=2026-03-01T00:00:00Z", "officer-cn-ha")
                        .status())
                .isEqualTo(404);
        assertThat(logFolds())
                .as("folds of the log for another province's officer")
                .isEqualTo(folds);
        assertThat(node.get("/provinces/CN-HA/budget?asOf=2026-03-01T00:00:00Z", "officer-cn-ha")
                        .status())
                .isEqualTo(200);
        assertThat(logFolds()).as("the officer's own province is folded").isEqualTo(folds + 1);
        BudgetNode.Answer own = node.get("/provinces/CN-HA/budget/series?interval=month", "officer-cn-ha");
        assertThat(own.status()).isEqualTo(200);
        assertThat(currency(
                                own.body()
                                        .get("points")
                                        .get(own.body().get("points").size() - 1),
                                "CNY")
                        .get("appropriated")
                        .asText())
                .isEqualTo("9000000.00");
        for (String bad : List.of(
                "interval=year",
                "from=yesterday",
                "to=2099-01-01T00:00:00Z",
                "from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z",
                "from=2020-01-01T00:00:00Z&to=2026-05-01T00:00:00Z&interval=day")) {
            BudgetNode.Answer answer = node.get("/provinces/CN-FJ/budget/series?" + bad);
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.contentType()).as(bad).startsWith("application/problem+json");
            assertThat(answer.body().get("code").asText()).as(bad).isEqualTo("VALIDATION_FAILED");
        }
        assertThat(node.get("/provinces/XX-YY/budget/series").status()).isEqualTo(400);
    }

    /** Whole-log folds answering budget queries so far (asOf and series). */
    private double logFolds() {
        return node.bean(MeterRegistry.class).find("ledger.budget.log.folds").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private JsonNode series(String query) {
        return node.getOk("/provinces/CN-FJ/budget/series" + (query == null ? "" : "?" + query));
    }

    private static List<String> instants(JsonNode series) {
        List<String> instants = new ArrayList<>();
        series.get("points").forEach(p -> instants.add(p.get("asOf").asText()));
        return instants;
    }

    /**
     * The last point of a series, and {@code asOf} an instant not yet settled, come from the province's checkpoint and
     * the events after it; they equal the read model (built apart, by the budget processor), before and after more
     * events, and a series asked again (its settled points kept) equals the one computed from the log.
     */
    @Test
    void theCheckpointAnswersWhatTheReadModelHoldsAndKeptPointsWhatTheLogHolds() {
        String range = "from=2026-01-01T00:00:00Z&interval=week";
        JsonNode first = series(range);
        JsonNode again = series(range);
        assertThat(again).isEqualTo(first);
        assertEveryPointEqualsAsOf(again);
        assertNowEqualsTheReadModel();
        clock.set(clock.instant().plusSeconds(60));
        node.send(new AppropriateFunds(compute, cny("1234.56"), "XM-now"));
        node.send(new IssueVoucher(compute, VoucherId.of("fj-v-now"), firm(41), cny("20000.00")));
        BudgetNode.awaitProjection(node);
        assertNowEqualsTheReadModel();
        JsonNode later = series(range);
        JsonNode last = later.get("points").get(later.get("points").size() - 1);
        assertThat(currency(last, "CNY").get("committed").asText())
                .isNotEqualTo(currency(
                                first.get("points").get(first.get("points").size() - 1), "CNY")
                        .get("committed")
                        .asText());
        assertEveryPointEqualsAsOf(later);
    }

    private void assertNowEqualsTheReadModel() {
        Instant at = clock.instant();
        JsonNode folded = node.getOk("/provinces/CN-FJ/budget?asOf=" + at);
        JsonNode live = node.getOk("/provinces/CN-FJ/budget");
        assertThat(folded.get("currencies"))
                .as("asOf %s from the checkpoint", at)
                .isEqualTo(live.get("currencies"));
    }

    private void assertEveryPointEqualsAsOf(JsonNode series) {
        for (JsonNode point : series.get("points")) {
            JsonNode asOf = node.getOk(
                    "/provinces/CN-FJ/budget?asOf=" + point.get("asOf").asText());
            assertThat(point).as("the point at %s", point.get("asOf")).isEqualTo(asOf);
        }
    }
}
