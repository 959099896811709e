package org.subsidyledger.api.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.LapseHousingMonths;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.housing.RecipientCategory;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.registry.RegistryCommands.RegisterModel;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.GrantId;
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
import org.subsidyledger.core.voucher.ModelUsage;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherCommands.ExpireVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;
import org.subsidyledger.core.voucher.VoucherSettings;
import org.subsidyledger.projections.budget.BudgetReadModel;

/**
 * The budget read side (SPEC §4, §5, §11) through the real application: commands go through Axon's command gateway
 * into the event store, the pooled streaming processor {@code budget} builds the read model behind them, and every
 * figure is read back through the HTTP query endpoints and compared with amounts computed by hand. One application
 * per test class, on a database of its own; each test works in provinces of its own, so the tests do not depend on
 * each other or on their order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BudgetContract {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T02:00:00Z"));
    BudgetNode node;
    private Map<String, Object> database;

    /** Creates this class's database; returns the Spring properties that point the application at it. */
    abstract Map<String, Object> createDatabase();

    abstract void dropDatabase();

    @BeforeAll
    void startLedger() {
        database = createDatabase();
        node = BudgetNode.start(database, clock, true);
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

    // ---------------------------------------------------------------- every figure of SPEC §4

    /**
     * Zhejiang: Hangzhou compute vouchers (30 %), Ningbo model vouchers (50 %) and Hangzhou housing ([1.0, 0.5],
     * rent cap 3,000). Each figure of each program, city, kind and the province, and the forward liabilities, are
     * worked out below from the commands.
     */
    @Test
    void everyFigureOfAProvinceByCityKindAndFiscalYear() {
        clock.set(Instant.parse("2026-03-02T02:00:00Z"));
        ProviderId cloud = ProviderId.of("zj-cloud");
        ProviderId models = ProviderId.of("zj-models");
        FilingNo model = FilingNo.of("ZJ-LLM-0001");
        node.send(new AccreditProvider(
                cloud, "Zhejiang Cloud", uscc("91330100MA2C00001"), ProviderKind.COMPUTE, null, null));
        node.send(new AccreditProvider(
                models, "Zhejiang Models", uscc("91330100MA2C00002"), ProviderKind.MODEL_VENDOR, null, null));
        node.send(new RegisterModel(model, "Zhe-1", models));

        ProgramId compute = ProgramId.of("zj-hz-compute");
        node.send(new LaunchProgram(
                compute,
                "Hangzhou compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-ZJ",
                "Hangzhou",
                CurrencyCode.CNY,
                vouchers("0.30", "8000000.00", 365)));
        node.send(new AppropriateFunds(compute, cny("10000000.00"), "HZ-2026-compute"));
        node.send(new RescindFunds(compute, cny("500000.00"), "mid-year cut"));
        node.send(new IssueVoucher(compute, VoucherId.of("zj-v1"), firm(1), cny("1000000.00")));
        node.send(new IssueVoucher(compute, VoucherId.of("zj-v2"), firm(2), cny("200000.00")));
        node.send(new IssueVoucher(compute, VoucherId.of("zj-v3"), firm(3), cny("50000.00")));
        // 333.35 × 0.30 = 100.005 → 100.01 (half-up); then 300,000.00; v1 keeps 699,899.99
        node.send(redeem(compute, "zj-v1", "zj-r1", "zj-c1", "zj-i1", cloud, "333.35"));
        node.send(redeem(compute, "zj-v1", "zj-r2", "zj-c1", "zj-i2", cloud, "1000000.00"));
        node.send(new SettleRedemption(compute, VoucherId.of("zj-v1"), RedemptionId.of("zj-r1"), "zj-pay-1"));
        // 1,000,000.00 × 0.30 = 300,000.00, capped at v2's 200,000.00: v2 is exhausted
        node.send(redeem(compute, "zj-v2", "zj-r3", "zj-c2", "zj-i3", cloud, "1000000.00"));
        node.send(new RevokeVoucher(compute, VoucherId.of("zj-v3"), "beneficiary withdrew"));

        ProgramId modelVouchers = ProgramId.of("zj-nb-model");
        node.send(new LaunchProgram(
                modelVouchers,
                "Ningbo model vouchers",
                ProgramKind.MODEL_VOUCHER,
                "CN-ZJ",
                "Ningbo",
                CurrencyCode.CNY,
                vouchers("0.50", "1000000.00", 180)));
        node.send(new AppropriateFunds(modelVouchers, cny("2000000.00"), "NB-2026-models"));
        node.send(new IssueVoucher(modelVouchers, VoucherId.of("zj-v4"), firm(4), cny("100000.00")));
        node.send(new RedeemModelAccess(
                modelVouchers,
                VoucherId.of("zj-v4"),
                RedemptionId.of("zj-r4"),
                "zj-c4",
                "zj-i4",
                models,
                model,
                cny("30000.00"),
                ModelUsage.API_ACCESS));
        node.send(new SettleRedemption(modelVouchers, VoucherId.of("zj-v4"), RedemptionId.of("zj-r4"), "zj-pay-4"));

        ProgramId housing = ProgramId.of("zj-hz-housing");
        node.send(new LaunchProgram(
                housing,
                "Hangzhou talent housing",
                ProgramKind.HOUSING_SUBSIDY,
                "CN-ZJ",
                "Hangzhou",
                CurrencyCode.CNY,
                new HousingSettings(
                        List.of(Ratio.of("1.0"), Ratio.of("0.5")), cny("3000.00"), cny("100000.00"), 3, null)));
        node.send(new AppropriateFunds(housing, cny("500000.00"), "HZ-2026-housing"));
        // rent 3,500 capped at 3,000: 12 × 3,000 (2026) + 12 × 1,500 (2027) = 54,000 committed
        node.send(new GrantHousingSubsidy(
                housing, GrantId.of("zj-g1"), person("zj-talent-1"), YearMonth.of(2026, 1), cny("3500.00")));
        node.send(new ClaimHousingSubsidy(
                housing, GrantId.of("zj-g1"), YearMonth.of(2026, 1), cny("3500.00"), "lease-1")); // pays 3,000
        node.send(new ClaimHousingSubsidy(
                housing,
                GrantId.of("zj-g1"),
                YearMonth.of(2026, 2),
                cny("2000.00"),
                "lease-1")); // pays 2,000, releases 1,000

        BudgetNode.awaitProjection(node);
        JsonNode budget = node.getOk("/provinces/CN-ZJ/budget");
        assertThat(budget.get("province").asText()).isEqualTo("CN-ZJ");
        assertThat(budget.get("asOf").asText()).isEqualTo("2026-03-02T02:00:00Z");
        assertThat(budget.get("currencies")).hasSize(1);
        JsonNode cny = budget.get("currencies").get(0);
        assertThat(cny.get("currency").asText()).isEqualTo("CNY");
        // appropriated 9.5M + 2M + 0.5M; committed = v1 699,899.99 + v4 85,000 + housing 54,000 − 3,000 − 3,000
        // disbursed 100.01 + 300,000 + 200,000 + 15,000 + 3,000 + 2,000; paid 100.01 + 15,000 + 5,000
        // released v3 50,000 + housing shortfall 1,000; rate 520,100.01 / 12,000,000 = 0.043341… → 0.0433
        assertFigures(
                cny,
                "12000000.00",
                "832899.99",
                "520100.01",
                "20100.01",
                "500000.00",
                "51000.00",
                "10647000.00",
                "0.0433");
        Map<String, JsonNode> cities = byKey(cny.get("byCity"), "city");
        assertThat(cities.keySet()).containsExactly("Hangzhou", "Ningbo");
        // Hangzhou = compute + housing; rate 505,100.01 / 10,000,000 = 0.0505
        assertFigures(
                cities.get("Hangzhou"),
                "10000000.00",
                "747899.99",
                "505100.01",
                "5100.01",
                "500000.00",
                "51000.00",
                "8747000.00",
                "0.0505");
        assertFigures(
                cities.get("Ningbo"),
                "2000000.00",
                "85000.00",
                "15000.00",
                "15000.00",
                "0.00",
                "0.00",
                "1900000.00",
                "0.0075");
        Map<String, JsonNode> kinds = byKey(cny.get("byKind"), "kind");
        assertThat(kinds.keySet()).containsExactly("COMPUTE_VOUCHER", "MODEL_VOUCHER", "HOUSING_SUBSIDY");
        // 500,100.01 / 9,500,000 = 0.052642… → 0.0526
        assertFigures(
                kinds.get("COMPUTE_VOUCHER"),
                "9500000.00",
                "699899.99",
                "500100.01",
                "100.01",
                "500000.00",
                "50000.00",
                "8300000.00",
                "0.0526");
        assertFigures(
                kinds.get("MODEL_VOUCHER"),
                "2000000.00",
                "85000.00",
                "15000.00",
                "15000.00",
                "0.00",
                "0.00",
                "1900000.00",
                "0.0075");
        assertFigures(
                kinds.get("HOUSING_SUBSIDY"),
                "500000.00",
                "48000.00",
                "5000.00",
                "5000.00",
                "0.00",
                "1000.00",
                "447000.00",
                "0.0100");
        // v4 expires 2026-08-29 (FY2026), v1 2027-03-02 (FY2027); housing 2026-03..12 at 3,000, 2027 at 1,500
        assertThat(liabilities(cny)).containsExactly("2026=115000.00", "2027=717899.99");

        // The same, folded from the log as of now; and the province among all provinces with the same totals.
        assertThat(node.getOk("/provinces/CN-ZJ/budget?asOf=2026-03-02T02:00:00Z"))
                .isEqualTo(budget);
        JsonNode zhejiang =
                byKey(node.getOk("/provinces").get("provinces"), "province").get("CN-ZJ");
        assertThat(zhejiang.get("name").asText()).isEqualTo("Zhejiang");
        assertThat(zhejiang.get("programs").asInt()).isEqualTo(3);
        assertFigures(
                zhejiang.get("currencies").get(0),
                "12000000.00",
                "832899.99",
                "520100.01",
                "20100.01",
                "500000.00",
                "51000.00",
                "10647000.00",
                "0.0433");

        // Program listing: figures and counts per program.
        Map<String, JsonNode> programs =
                byKey(node.getOk("/programs?province=CN-ZJ").get("programs"), "programId");
        assertThat(programs.keySet()).containsExactly("zj-hz-compute", "zj-hz-housing", "zj-nb-model");
        JsonNode listed = programs.get("zj-hz-compute");
        assertThat(listed.get("kind").asText()).isEqualTo("COMPUTE_VOUCHER");
        assertThat(listed.get("city").asText()).isEqualTo("Hangzhou");
        assertThat(listed.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(listed.get("rules").get("coverageRatio").asText()).isEqualTo("0.30");
        assertFigures(
                listed.get("figures"),
                "9500000.00",
                "699899.99",
                "500100.01",
                "100.01",
                "500000.00",
                "50000.00",
                "8300000.00",
                "0.0526");
        assertThat(listed.get("vouchers").toString())
                .isEqualTo("{\"ACTIVE\":1,\"EXHAUSTED\":1,\"EXPIRED\":0,\"REVOKED\":1}");
        assertThat(programs.get("zj-hz-housing").get("housingGrants").toString())
                .isEqualTo("{\"ACTIVE\":1,\"TERMINATED\":0}");
        // The read model agrees with each program's own view, which is read from the aggregate.
        for (String id : programs.keySet()) {
            JsonNode own = node.getOk("/programs/" + id);
            assertThat(programs.get(id).get("figures")).as("figures of %s", id).isEqualTo(own.get("figures"));
            assertThat(programs.get(id).get("vouchers"))
                    .as("vouchers of %s", id)
                    .isEqualTo(own.get("vouchers"));
            assertThat(programs.get(id).get("rules")).as("rules of %s", id).isEqualTo(own.get("rules"));
        }
    }

    // ---------------------------------------------------------------- forward liabilities by fiscal year

    /**
     * Zhuhai's talent housing ([1.0, 0.7, 0.5], rent 4,000 from July 2026) commits 12 × 4,000, 12 × 2,800 and
     * 12 × 2,000 over three grant years, which fall into four calendar (fiscal) years in China: FY2026 6 × 4,000,
     * FY2027 6 × 4,000 + 6 × 2,800, FY2028 6 × 2,800 + 6 × 2,000, FY2029 6 × 2,000. A Shenzhen voucher's value falls
     * due when it expires; a claim and a termination take their months out.
     */
    @Test
    void forwardLiabilitiesFallInTheFiscalYearTheyAreDue() {
        clock.set(Instant.parse("2026-07-06T02:00:00Z"));
        ProgramId zhuhai = ProgramId.of("gd-zhuhai-housing");
        GrantId grant = GrantId.of("gd-g1");
        node.send(new LaunchProgram(
                zhuhai,
                "Zhuhai talent housing",
                ProgramKind.HOUSING_SUBSIDY,
                "CN-GD",
                "Zhuhai",
                CurrencyCode.CNY,
                new HousingSettings(
                        List.of(Ratio.of("1.0"), Ratio.of("0.7"), Ratio.of("0.5")),
                        cny("5000.00"),
                        cny("120000.00"),
                        3,
                        null)));
        node.send(new AppropriateFunds(zhuhai, cny("1000000.00"), "ZH-2026"));
        node.send(new GrantHousingSubsidy(zhuhai, grant, person("gd-talent-1"), YearMonth.of(2026, 7), cny("4000.00")));
        BudgetNode.awaitProjection(node);
        JsonNode cny = currency(node.getOk("/provinces/CN-GD/budget"), "CNY");
        assertFigures(cny, "1000000.00", "105600.00", "0.00", "0.00", "0.00", "0.00", "894400.00", "0.0000");
        assertThat(liabilities(cny))
                .containsExactly("2026=24000.00", "2027=40800.00", "2028=28800.00", "2029=12000.00");

        ProgramId shenzhen = ProgramId.of("gd-sz-compute");
        node.send(new LaunchProgram(
                shenzhen,
                "Shenzhen compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-GD",
                "Shenzhen",
                CurrencyCode.CNY,
                vouchers("0.50", "2000000.00", 365)));
        node.send(new AppropriateFunds(shenzhen, cny("1000000.00"), "SZ-2026"));
        node.send(new IssueVoucher(shenzhen, VoucherId.of("gd-v1"), firm(11), cny("300000.00"))); // expires 2027-07-06
        BudgetNode.awaitProjection(node);
        cny = currency(node.getOk("/provinces/CN-GD/budget"), "CNY");
        assertFigures(cny, "2000000.00", "405600.00", "0.00", "0.00", "0.00", "0.00", "1594400.00", "0.0000");
        assertThat(liabilities(cny))
                .containsExactly("2026=24000.00", "2027=340800.00", "2028=28800.00", "2029=12000.00");
        assertThat(byKey(cny.get("byCity"), "city").keySet()).containsExactly("Shenzhen", "Zhuhai");
        assertThat(byKey(cny.get("byKind"), "kind").keySet()).containsExactly("COMPUTE_VOUCHER", "HOUSING_SUBSIDY");

        // July is paid in August; the grant ends with 2028 (months 2028-01 .. 2029-06 released: 16,800 + 24,000).
        clock.set(Instant.parse("2026-08-03T02:00:00Z"));
        node.send(new ClaimHousingSubsidy(zhuhai, grant, YearMonth.of(2026, 7), cny("4000.00"), "zh-lease"));
        node.send(new TerminateHousingGrant(zhuhai, grant, "left Zhuhai", YearMonth.of(2028, 1)));
        BudgetNode.awaitProjection(node);
        JsonNode budget = node.getOk("/provinces/CN-GD/budget");
        cny = currency(budget, "CNY");
        // committed 105,600 − 4,000 − 40,800 + 300,000; rate 4,000 / 2,000,000 = 0.0020
        assertFigures(cny, "2000000.00", "360800.00", "4000.00", "4000.00", "0.00", "40800.00", "1635200.00", "0.0020");
        assertThat(liabilities(cny)).containsExactly("2026=20000.00", "2027=340800.00");
        assertFigures(
                byKey(cny.get("byCity"), "city").get("Zhuhai"),
                "1000000.00",
                "60800.00",
                "4000.00",
                "4000.00",
                "0.00",
                "40800.00",
                "935200.00",
                "0.0040");
        assertThat(node.getOk("/provinces/CN-GD/budget?asOf=2026-08-03T02:00:00Z"))
                .isEqualTo(budget);
        assertThat(byKey(node.getOk("/programs?province=CN-GD").get("programs"), "programId")
                        .get("gd-zhuhai-housing")
                        .get("housingGrants")
                        .toString())
                .isEqualTo("{\"ACTIVE\":0,\"TERMINATED\":1}");
    }

    // ---------------------------------------------------------------- as of an instant

    /**
     * A scripted Shanghai history over four months; the budget as of five instants in it is exactly what the events
     * up to each instant imply (worked out by hand below), and as of now it equals the live read model.
     */
    @Test
    void theBudgetAsOfAnInstantIsTheHistoryUpToThatInstant() {
        ProviderId cloud = ProviderId.of("sh-cloud");
        ProgramId compute = ProgramId.of("sh-lg-compute");
        ProgramId housing = ProgramId.of("sh-pd-housing");
        GrantId grant = GrantId.of("sh-g1");

        clock.set(Instant.parse("2026-01-10T01:00:00Z"));
        node.send(new AccreditProvider(
                cloud, "Shanghai Cloud", uscc("91310000MA1K00001"), ProviderKind.COMPUTE, null, null));
        node.send(new LaunchProgram(
                compute,
                "Lin-gang compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-SH",
                "Lin-gang",
                CurrencyCode.CNY,
                vouchers("0.40", "5000000.00", 30)));
        node.send(new AppropriateFunds(compute, cny("3000000.00"), "LG-2026"));

        clock.set(Instant.parse("2026-01-20T01:00:00Z")); // both expire 2026-02-19T01:00:00Z
        node.send(new IssueVoucher(compute, VoucherId.of("sh-v1"), firm(21), cny("1000000.00")));
        node.send(new IssueVoucher(compute, VoucherId.of("sh-v2"), firm(22), cny("500000.00")));

        clock.set(Instant.parse("2026-01-25T01:00:00Z"));
        node.send(redeem(compute, "sh-v1", "sh-r1", "sh-c1", "sh-i1", cloud, "250000.00")); // pays 100,000

        clock.set(Instant.parse("2026-02-01T01:00:00Z"));
        node.send(new SettleRedemption(compute, VoucherId.of("sh-v1"), RedemptionId.of("sh-r1"), "sh-pay-1"));
        node.send(new LaunchProgram(
                housing,
                "Pudong talent housing",
                ProgramKind.HOUSING_SUBSIDY,
                "CN-SH",
                "Pudong",
                CurrencyCode.CNY,
                new HousingSettings(List.of(Ratio.of("0.5")), cny("6000.00"), cny("50000.00"), 1, null)));
        node.send(new AppropriateFunds(housing, cny("200000.00"), "PD-2026"));
        // rent 8,000 capped at 6,000 × 0.5 = 3,000 a month for 2026-02 .. 2027-01: 36,000
        node.send(
                new GrantHousingSubsidy(housing, grant, person("sh-talent-1"), YearMonth.of(2026, 2), cny("8000.00")));

        clock.set(Instant.parse("2026-02-19T01:00:00Z"));
        assertThat((Boolean) node.send(new ExpireVoucher(compute, VoucherId.of("sh-v1"))))
                .isTrue(); // 900,000
        assertThat((Boolean) node.send(new ExpireVoucher(compute, VoucherId.of("sh-v2"))))
                .isTrue(); // 500,000
        node.send(new ClaimHousingSubsidy(housing, grant, YearMonth.of(2026, 2), cny("8000.00"), "pd-lease"));

        clock.set(Instant.parse("2026-05-02T00:00:00Z")); // March's claim window closed on 2026-05-01 (Shanghai)
        node.send(new LapseHousingMonths(housing, grant));
        node.send(new RescindFunds(compute, cny("100000.00"), "unused"));
        BudgetNode.awaitProjection(node);

        // Before the first program: nothing.
        assertThat(node.getOk("/provinces/CN-SH/budget?asOf=2026-01-10T00:59:59.999Z")
                        .get("currencies"))
                .isEmpty();
        // 1. Appropriated, nothing else.
        JsonNode at = currency(node.getOk("/provinces/CN-SH/budget?asOf=2026-01-10T02:00:00Z"), "CNY");
        assertFigures(at, "3000000.00", "0.00", "0.00", "0.00", "0.00", "0.00", "3000000.00", "0.0000");
        assertThat(liabilities(at)).isEmpty();
        // 2. One millisecond before the redemption: both vouchers whole.
        at = currency(node.getOk("/provinces/CN-SH/budget?asOf=2026-01-25T00:59:59.999Z"), "CNY");
        assertFigures(at, "3000000.00", "1500000.00", "0.00", "0.00", "0.00", "0.00", "1500000.00", "0.0000");
        assertThat(liabilities(at)).containsExactly("2026=1500000.00");
        // 3. At the redemption's own instant (asOf includes it): 100,000 disbursed, payable.
        at = currency(node.getOk("/provinces/CN-SH/budget?asOf=2026-01-25T01:00:00Z"), "CNY");
        assertFigures(at, "3000000.00", "1400000.00", "100000.00", "0.00", "100000.00", "0.00", "1500000.00", "0.0333");
        // 4. Settled, housing granted; rate 100,000 / 3,200,000 = 0.03125 → 0.0313 (half-up).
        at = currency(node.getOk("/provinces/CN-SH/budget?asOf=2026-02-10T00:00:00Z"), "CNY");
        assertFigures(at, "3200000.00", "1436000.00", "100000.00", "100000.00", "0.00", "0.00", "1664000.00", "0.0313");
        assertThat(liabilities(at)).containsExactly("2026=1433000.00", "2027=3000.00");
        assertThat(byKey(at.get("byCity"), "city").keySet()).containsExactly("Lin-gang", "Pudong");
        // 5. Vouchers expired (1,400,000 released), February paid; 103,000 / 3,200,000 = 0.0321875 → 0.0322.
        at = currency(node.getOk("/provinces/CN-SH/budget?asOf=2026-03-01T00:00:00Z"), "CNY");
        assertFigures(
                at, "3200000.00", "33000.00", "103000.00", "103000.00", "0.00", "1400000.00", "3064000.00", "0.0322");
        assertThat(liabilities(at)).containsExactly("2026=30000.00", "2027=3000.00");
        assertFigures(
                byKey(at.get("byKind"), "kind").get("COMPUTE_VOUCHER"),
                "3000000.00",
                "0.00",
                "100000.00",
                "100000.00",
                "0.00",
                "1400000.00",
                "2900000.00",
                "0.0333");
        // 6. Now: March lapsed, 100,000 rescinded; 103,000 / 3,100,000 = 0.033225… → 0.0332.
        JsonNode now = node.getOk("/provinces/CN-SH/budget?asOf=2026-05-02T00:00:00Z");
        at = currency(now, "CNY");
        assertFigures(
                at, "3100000.00", "30000.00", "103000.00", "103000.00", "0.00", "1403000.00", "2967000.00", "0.0332");
        assertThat(liabilities(at)).containsExactly("2026=27000.00", "2027=3000.00");
        assertThat(node.getOk("/provinces/CN-SH/budget"))
                .as("the live read model at the end")
                .isEqualTo(now);
    }

    // ---------------------------------------------------------------- live equals folded, over two nodes

    /**
     * A seeded random history over three provinces' programs, sent through two nodes that share the database and split
     * the budget processor's segments between them (then through one, after the other stops): the live read model
     * equals the fold of the whole log, which it could not if any event had been skipped or applied twice.
     */
    @Test
    void theLiveReadModelEqualsTheFoldedLogAcrossTwoNodes() {
        // The event clock runs here, from the wall clock's present: Axon's pooled processor dates the release of a
        // segment to another node with the event clock, and compares that date with its own (wall) clock.
        clock.runFrom(Instant.now());
        Random random = new Random(20261128L);
        History history = new History(random);
        history.setUp(node);
        try (BudgetNode second = BudgetNode.start(database, clock, false)) {
            awaitSplit(node, second);
            for (int i = 0; i < 50; i++) {
                history.step(i % 2 == 0 ? node : second);
            }
            BudgetNode.awaitProjection(node, second);
            assertThat(node.budgetSegments()).as("segments of the first node").hasSize(2);
            assertThat(second.budgetSegments())
                    .as("segments of the second node")
                    .hasSize(2);
            clock.stop();
            assertLiveEqualsFold(history.provinces());
            clock.runFrom(clock.instant());
        }
        for (int i = 0; i < 20; i++) {
            history.step(node);
        }
        BudgetNode.awaitProjection(node);
        clock.stop();
        assertThat(node.budgetSegments())
                .as("the remaining node took every segment")
                .hasSize(4);
        assertLiveEqualsFold(history.provinces());
        assertThat(history.accepted.get()).as("accepted commands").isGreaterThan(35);
        assertThat(history.acceptedByType)
                .as("accepted commands by type")
                .containsKeys(
                        "IssueVoucher",
                        "RedeemCompute",
                        "SettleRedemption",
                        "RevokeVoucher",
                        "GrantHousingSubsidy",
                        "ClaimHousingSubsidy",
                        "TerminateHousingGrant");
    }

    private void assertLiveEqualsFold(List<String> provinces) {
        // the totals the province figures are read from equal a recount of the voucher rows
        JdbcTemplate jdbc = node.bean(JdbcTemplate.class);
        String order = " ORDER BY program_id, status, expiry_fiscal_year";
        assertThat(jdbc.queryForList("SELECT program_id, status, expiry_fiscal_year, vouchers, remaining"
                        + " FROM budget_voucher_total" + order))
                .as("budget_voucher_total")
                .isNotEmpty()
                .isEqualTo(jdbc.queryForList("SELECT program_id, status, expiry_fiscal_year, COUNT(*) AS vouchers,"
                        + " SUM(remaining) AS remaining FROM budget_voucher"
                        + " GROUP BY program_id, status, expiry_fiscal_year" + order));
        String now = clock.instant().toString();
        for (String province : provinces) {
            JsonNode live = node.getOk("/provinces/" + province + "/budget");
            assertThat(live.get("currencies")).as("currencies of %s", province).isNotEmpty();
            assertThat(live)
                    .as("live budget of %s", province)
                    .isEqualTo(node.getOk("/provinces/" + province + "/budget?asOf=" + now));
        }
    }

    /** Both nodes hold segments of the budget processor, 2 each, within a bounded wait. */
    private static void awaitSplit(BudgetNode first, BudgetNode second) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (first.budgetSegments().size() == 2 && second.budgetSegments().size() == 2) {
                return;
            }
            sleep(20);
        }
        fail("the two nodes did not split the 4 segments: first holds "
                + first.budgetSegments().keySet() + ", second "
                + second.budgetSegments().keySet());
    }

    // ---------------------------------------------------------------- reset and replay

    /** A reset empties the read model (the @ResetHandler) and the replay rebuilds exactly the same answers. */
    @Test
    void aResetRebuildsTheSameReadModelFromTheLog() {
        clock.set(Instant.parse("2026-09-01T00:00:00Z"));
        ProgramId program = ProgramId.of("hb-wh-compute");
        node.send(new LaunchProgram(
                program,
                "Wuhan compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-HB",
                "Wuhan",
                CurrencyCode.CNY,
                vouchers("0.25", "1000000.00", 90)));
        node.send(new AppropriateFunds(program, cny("800000.00"), "WH-2026"));
        node.send(new IssueVoucher(program, VoucherId.of("hb-v1"), firm(31), cny("250000.00")));
        BudgetNode.awaitProjection(node);
        JsonNode provincesBefore = node.getOk("/provinces");
        Map<String, JsonNode> before = new LinkedHashMap<>();
        for (JsonNode p : provincesBefore.get("provinces")) {
            String code = p.get("province").asText();
            before.put(code, node.getOk("/provinces/" + code + "/budget"));
        }
        JsonNode programsBefore = node.getOk("/programs");

        PooledStreamingEventProcessor processor = node.budgetProcessor();
        processor.shutDown();
        processor.resetTokens();
        assertThat(node.bean(BudgetReadModel.class).rowCounts().values())
                .as("rows after the reset")
                .containsOnly(0L);
        processor.start();
        BudgetNode.awaitProjection(node);

        assertThat(node.getOk("/provinces")).isEqualTo(provincesBefore);
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            assertThat(node.getOk("/provinces/" + e.getKey() + "/budget"))
                    .as("budget of %s", e.getKey())
                    .isEqualTo(e.getValue());
        }
        assertThat(node.getOk("/programs")).isEqualTo(programsBefore);
    }

    // ---------------------------------------------------------------- replay-and-compare (SPEC §8)

    /**
     * POST /audit/replays rebuilds the read model from the log into a scratch space: it finds no difference with the
     * live one; after one figure of one live row is changed with plain SQL it names that row and column, and after the
     * row is put back it finds none again. With asOf it compares the replay up to that instant with the asOf answer.
     */
    @Test
    void replayAndCompareFindsNothingUntilALiveRowIsChangedBySql() {
        clock.set(Instant.parse("2026-09-10T00:00:00Z"));
        ProgramId program = ProgramId.of("hn-cs-compute");
        node.send(new LaunchProgram(
                program,
                "Changsha compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-HN",
                "Changsha",
                CurrencyCode.CNY,
                vouchers("0.25", "1000000.00", 90)));
        node.send(new AppropriateFunds(program, cny("900000.00"), "CS-2026"));
        node.send(new IssueVoucher(program, VoucherId.of("hn-v1"), firm(41), cny("300000.00")));
        clock.advance(Duration.ofHours(2));
        Instant between = clock.instant();
        clock.advance(Duration.ofHours(2));
        // 750,000 of 900,000 committed: COMMITMENT_HIGH (WARNING, ≥ 80 %) for the program and for CN-HN
        node.send(new IssueVoucher(program, VoucherId.of("hn-v2"), firm(42), cny("450000.00")));
        BudgetNode.awaitProjection(node);
        awaitAlert(program);

        JsonNode clean = replay(null);
        assertThat(clean.get("identical").asBoolean()).as("replay %s", clean).isTrue();
        assertThat(clean.get("differenceCount").asLong()).isZero();
        assertThat(clean.get("rowsCompared").asLong()).as("rows compared").isGreaterThanOrEqualTo(3);
        assertThat(clean.get("entriesReplayed").asLong())
                .isEqualTo(clean.get("position").asLong());

        String original = node.jdbc
                .queryForObject("SELECT remaining FROM budget_voucher WHERE voucher_id = 'hn-v1'", BigDecimal.class)
                .toPlainString();
        node.jdbc.update("UPDATE budget_voucher SET remaining = remaining - 1 WHERE voucher_id = 'hn-v1'");
        try {
            JsonNode tampered = replay(null);
            assertThat(tampered.get("identical").asBoolean())
                    .as("replay %s", tampered)
                    .isFalse();
            assertThat(tampered.get("differenceCount").asLong()).isEqualTo(1);
            JsonNode difference = tampered.get("differences").get(0);
            assertThat(difference.get("table").asText()).isEqualTo("budget_voucher");
            assertThat(difference.get("key").asText()).isEqualTo("hn-v1");
            assertThat(difference.get("column").asText()).isEqualTo("remaining");
            assertThat(difference.get("replayed").asText()).isEqualTo(original);
            assertThat(new BigDecimal(difference.get("live").asText()))
                    .isEqualByComparingTo(new BigDecimal(original).subtract(BigDecimal.ONE));
        } finally {
            node.jdbc.update(
                    "UPDATE budget_voucher SET remaining = ? WHERE voucher_id = 'hn-v1'", new BigDecimal(original));
        }
        assertThat(replay(null).get("identical").asBoolean()).isTrue();

        String alertId = node.jdbc.queryForObject(
                "SELECT alert_id FROM fiscal_alert WHERE program_id = ?" + " AND code = 'COMMITMENT_HIGH'",
                String.class,
                program.value());
        node.jdbc.update("UPDATE fiscal_alert SET level = 'CRITICAL' WHERE alert_id = ?", alertId);
        try {
            JsonNode tampered = replay(null);
            assertThat(tampered.get("identical").asBoolean())
                    .as("replay %s", tampered)
                    .isFalse();
            assertThat(tampered.get("differences")).singleElement().satisfies(difference -> {
                assertThat(difference.get("projection").asText()).isEqualTo("alerts");
                assertThat(difference.get("table").asText()).isEqualTo("fiscal_alert");
                assertThat(difference.get("key").asText()).isEqualTo(alertId);
                assertThat(difference.get("column").asText()).isEqualTo("level");
                assertThat(difference.get("live").asText()).isEqualTo("CRITICAL");
                assertThat(difference.get("replayed").asText()).isEqualTo("WARNING");
            });
        } finally {
            node.jdbc.update("UPDATE fiscal_alert SET level = 'WARNING' WHERE alert_id = ?", alertId);
        }
        assertThat(replay(null).get("identical").asBoolean()).isTrue();

        JsonNode asOf = replay("{\"asOf\": \"" + between + "\"}");
        assertThat(asOf.get("identical").asBoolean())
                .as("replay as of %s: %s", between, asOf)
                .isTrue();
        assertThat(asOf.get("asOf").asText()).isEqualTo(between.toString());
        assertThat(node.post("/audit/replays", "{\"asOf\": \"yesterday\"}").status())
                .isEqualTo(400);
        assertThat(node.post("/audit/replays", "{\"since\": \"" + between + "\"}")
                        .status())
                .isEqualTo(400);
    }

    /** Waits until the alerts processor has raised COMMITMENT_HIGH for the program. */
    private void awaitAlert(ProgramId program) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (node.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM fiscal_alert WHERE program_id = ?" + " AND code = 'COMMITMENT_HIGH'",
                        Integer.class,
                        program.value())
                == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no COMMITMENT_HIGH alert for " + program + " within 30 s");
            }
            sleep(20);
        }
    }

    private JsonNode replay(String body) {
        BudgetNode.Answer answer = node.post("/audit/replays", body);
        assertThat(answer.status()).as("POST /audit/replays: %s", answer.body()).isEqualTo(200);
        return answer.body();
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void refusesABadProvinceOrInstantAndAnswersAProvinceWithoutProgramsWithNoCurrencies() {
        clock.set(Instant.parse("2026-10-01T00:00:00Z"));
        for (String path : List.of(
                "/provinces/CN-XX/budget",
                "/provinces/cn-zj/budget",
                "/provinces/ZJ/budget",
                "/provinces/CN-ZJ/budget?asOf=yesterday",
                "/provinces/CN-ZJ/budget?asOf=2026-09-30",
                "/provinces/CN-ZJ/budget?asOf=",
                "/provinces/CN-ZJ/budget?asOf=2026-10-01T00:00:00.001Z",
                "/programs?province=Zhejiang")) {
            BudgetNode.Answer answer = node.get(path);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
            assertThat(answer.body().get("code").asText()).as(path).isEqualTo("VALIDATION_FAILED");
        }
        JsonNode tibet = node.getOk("/provinces/CN-XZ/budget");
        assertThat(tibet.get("province").asText()).isEqualTo("CN-XZ");
        assertThat(tibet.get("asOf").asText()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(tibet.get("currencies")).isEmpty();
        assertThat(node.getOk("/provinces/CN-XZ/budget?asOf=2026-10-01T00:00:00Z"))
                .isEqualTo(tibet);
        assertThat(node.getOk("/programs?province=CN-XZ").get("programs")).isEmpty();
        assertThat(byKey(node.getOk("/provinces").get("provinces"), "province")).doesNotContainKey("CN-XZ");
    }

    // ---------------------------------------------------------------- a random history

    /** Random valid and invalid commands over programs in CN-JS (two cities), CN-ZJ's neighbour and US-CA (USD). */
    private final class History {
        final Random random;
        final AtomicInteger accepted = new AtomicInteger();
        final Map<String, Integer> acceptedByType = new TreeMap<>();
        final List<ProgramId> voucherPrograms =
                List.of(ProgramId.of("js-nj-compute"), ProgramId.of("js-sz-compute"), ProgramId.of("ca-sf-compute"));
        final ProgramId housing = ProgramId.of("js-sz-housing");
        final List<Object[]> vouchers = new ArrayList<>(); // {program, voucherId}
        final List<Object[]> redemptions = new ArrayList<>(); // {program, voucherId, redemptionId}
        final List<GrantId> grants = new ArrayList<>();
        int counter;

        History(Random random) {
            this.random = random;
        }

        List<String> provinces() {
            return List.of("CN-JS", "US-CA");
        }

        void setUp(BudgetNode node) {
            node.send(new AccreditProvider(
                    ProviderId.of("js-cloud"),
                    "Jiangsu Cloud",
                    uscc("91320000MA1P00001"),
                    ProviderKind.COMPUTE,
                    null,
                    null));
            node.send(new AccreditProvider(
                    ProviderId.of("ca-cloud"), "California Cloud", "US-CLOUD-1", ProviderKind.COMPUTE, null, "US"));
            node.send(new LaunchProgram(
                    voucherPrograms.get(0),
                    "Nanjing compute",
                    ProgramKind.COMPUTE_VOUCHER,
                    "CN-JS",
                    "Nanjing",
                    CurrencyCode.CNY,
                    vouchers("0.30", "500000.00", 60)));
            node.send(new LaunchProgram(
                    voucherPrograms.get(1),
                    "Suzhou compute",
                    ProgramKind.COMPUTE_VOUCHER,
                    "CN-JS",
                    "Suzhou",
                    CurrencyCode.CNY,
                    vouchers("0.45", "300000.00", 200)));
            node.send(new LaunchProgram(
                    voucherPrograms.get(2),
                    "San Francisco compute",
                    ProgramKind.COMPUTE_VOUCHER,
                    "US-CA",
                    "San Francisco",
                    CurrencyCode.USD,
                    new VoucherSettings(
                            Ratio.of("0.2"),
                            usd("100000.00"),
                            usd("1000000.00"),
                            400,
                            List.of("software"),
                            Payee.PROVIDER)));
            node.send(new LaunchProgram(
                    housing,
                    "Suzhou talent housing",
                    ProgramKind.HOUSING_SUBSIDY,
                    "CN-JS",
                    "Suzhou",
                    CurrencyCode.CNY,
                    new HousingSettings(
                            List.of(Ratio.of("1.0"), Ratio.of("0.6")), cny("4000.00"), cny("60000.00"), 2, 24)));
            for (ProgramId program : voucherPrograms) {
                node.send(new AppropriateFunds(program, money(program, "2000000.00"), "initial"));
            }
            node.send(new AppropriateFunds(housing, cny("300000.00"), "initial"));
        }

        void step(BudgetNode node) {
            int choice = random.nextInt(100);
            ProgramId program = voucherPrograms.get(random.nextInt(voucherPrograms.size()));
            Object command;
            Runnable onAccepted = () -> {};
            if (choice < 8) {
                clock.advance(Duration.ofHours(1 + random.nextInt(24 * 20)));
                command = null;
            } else if (choice < 12) {
                command = new AppropriateFunds(
                        random.nextBoolean() ? program : housing,
                        money(random.nextBoolean() ? program : housing, amount(10_000, 400_000)),
                        "top-up");
            } else if (choice < 15) {
                command = new RescindFunds(program, money(program, amount(1_000, 300_000)), "cut");
            } else if (choice < 35) {
                VoucherId voucher = VoucherId.of("rh-v" + (++counter));
                ProgramId issuer = program;
                onAccepted = () -> vouchers.add(new Object[] {issuer, voucher});
                command = new IssueVoucher(
                        program, voucher, beneficiary(program), money(program, amount(1_000, 150_000)));
            } else if (choice < 60 && !vouchers.isEmpty()) {
                Object[] v = vouchers.get(random.nextInt(vouchers.size()));
                ProgramId p = (ProgramId) v[0];
                RedemptionId redemption = RedemptionId.of("rh-r" + (++counter));
                onAccepted = () -> redemptions.add(new Object[] {p, v[1], redemption});
                command = new RedeemCompute(
                        p,
                        (VoucherId) v[1],
                        redemption,
                        "rh-c-" + v[1],
                        "rh-i" + counter,
                        ProviderId.of(p.value().startsWith("ca") ? "ca-cloud" : "js-cloud"),
                        money(p, amount(100, 200_000)),
                        null);
            } else if (choice < 70 && !redemptions.isEmpty()) {
                Object[] r = redemptions.remove(random.nextInt(redemptions.size()));
                command = new SettleRedemption(
                        (ProgramId) r[0], (VoucherId) r[1], (RedemptionId) r[2], "rh-pay" + (++counter));
            } else if (choice < 78 && !vouchers.isEmpty()) {
                Object[] v = vouchers.get(random.nextInt(vouchers.size()));
                command = new RevokeVoucher((ProgramId) v[0], (VoucherId) v[1], "revoked");
            } else if (choice < 80 && !vouchers.isEmpty()) {
                Object[] v = vouchers.get(random.nextInt(vouchers.size()));
                command = new ExpireVoucher((ProgramId) v[0], (VoucherId) v[1]);
            } else if (choice < 85) {
                GrantId grant = GrantId.of("rh-g" + (++counter));
                onAccepted = () -> grants.add(grant);
                YearMonth start = YearMonth.from(clock.instant().atZone(ZoneId.of("Asia/Shanghai")))
                        .minusMonths(random.nextInt(3));
                command = new GrantHousingSubsidy(
                        housing, grant, person("rh-p" + random.nextInt(6)), start, cny(amount(1_500, 6_000)));
            } else if (choice < 93 && !grants.isEmpty()) {
                GrantId grant = grants.get(random.nextInt(grants.size()));
                YearMonth month = YearMonth.from(clock.instant().atZone(ZoneId.of("Asia/Shanghai")))
                        .minusMonths(random.nextInt(4));
                command = new ClaimHousingSubsidy(housing, grant, month, cny(amount(1_000, 6_000)), "rh-lease");
            } else if (choice < 96 && !grants.isEmpty()) {
                command = new LapseHousingMonths(housing, grants.get(random.nextInt(grants.size())));
            } else if (!grants.isEmpty()) {
                GrantId grant = grants.get(random.nextInt(grants.size()));
                YearMonth month = YearMonth.from(clock.instant().atZone(ZoneId.of("Asia/Shanghai")))
                        .plusMonths(random.nextInt(6));
                command = new TerminateHousingGrant(housing, grant, "moved away", month);
            } else {
                command = null;
            }
            if (command != null && node.trySend(command) == null) {
                accepted.incrementAndGet();
                acceptedByType.merge(command.getClass().getSimpleName(), 1, Integer::sum);
                onAccepted.run();
            }
        }

        private Beneficiary beneficiary(ProgramId program) {
            int firm = 100 + random.nextInt(40);
            if (program.value().startsWith("ca")) {
                return new Beneficiary("US-FIRM-" + firm, "Firm " + firm, "software", null);
            }
            return BudgetContract.firm(firm);
        }

        private String amount(int min, int max) {
            long cents = (long) min * 100 + (long) (random.nextDouble() * (max - min) * 100);
            return BigDecimal.valueOf(cents, 2).toPlainString();
        }

        private Money money(ProgramId program, String amount) {
            return program.value().startsWith("ca") ? usd(amount) : cny(amount);
        }
    }

    // ---------------------------------------------------------------- helpers

    static void assertFigures(
            JsonNode block,
            String appropriated,
            String committed,
            String disbursed,
            String paid,
            String payable,
            String released,
            String available,
            String executionRate) {
        Map<String, String> actual = new LinkedHashMap<>();
        for (String field : List.of(
                "appropriated",
                "committed",
                "disbursed",
                "paid",
                "payable",
                "released",
                "available",
                "executionRate")) {
            assertThat(block.has(field)).as("%s present in %s", field, block).isTrue();
            actual.put(
                    field, block.get(field).isNull() ? null : block.get(field).asText());
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("appropriated", appropriated);
        expected.put("committed", committed);
        expected.put("disbursed", disbursed);
        expected.put("paid", paid);
        expected.put("payable", payable);
        expected.put("released", released);
        expected.put("available", available);
        expected.put("executionRate", executionRate);
        assertThat(actual).as("figures of %s", block).isEqualTo(expected);
    }

    static JsonNode currency(JsonNode budget, String currency) {
        return byKey(budget.get("currencies"), "currency").get(currency);
    }

    static List<String> liabilities(JsonNode currencyBlock) {
        return StreamSupport.stream(currencyBlock.get("forwardLiabilities").spliterator(), false)
                .map(l -> l.get("year").asInt() + "=" + l.get("amount").asText())
                .toList();
    }

    /** The array's elements by the text of one field, in the array's order. */
    static Map<String, JsonNode> byKey(JsonNode array, String field) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        for (JsonNode element : array) {
            result.put(element.get(field).isNull() ? null : element.get(field).asText(), element);
        }
        return result;
    }

    static RedeemCompute redeem(
            ProgramId program,
            String voucher,
            String redemption,
            String contract,
            String invoice,
            ProviderId provider,
            String amount) {
        return new RedeemCompute(
                program,
                VoucherId.of(voucher),
                RedemptionId.of(redemption),
                contract,
                invoice,
                provider,
                cny(amount),
                null);
    }

    static VoucherSettings vouchers(String coverage, String maxValue, int validityDays) {
        return new VoucherSettings(
                Ratio.of(coverage),
                cny(maxValue),
                cny("50000000.00"),
                validityDays,
                List.of("software", "research"),
                Payee.BENEFICIARY);
    }

    static Recipient person(String ref) {
        return new Recipient(ref, RecipientCategory.GRADUATE);
    }

    static Beneficiary firm(int n) {
        return new Beneficiary(uscc("913301" + String.format("%011d", n)), "Firm " + n, "software", null);
    }

    static String uscc(String first17) {
        return first17 + Uscc.checkCharacter(first17);
    }

    static Money cny(String amount) {
        return Money.of(amount, CurrencyCode.CNY);
    }

    static Money usd(String amount) {
        return Money.of(amount, CurrencyCode.USD);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
