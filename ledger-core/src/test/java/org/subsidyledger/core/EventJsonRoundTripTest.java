package org.subsidyledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.core.support.TestData.ALIYUN;
import static org.subsidyledger.core.support.TestData.BJ_MODEL_HEADER;
import static org.subsidyledger.core.support.TestData.FIRM_A;
import static org.subsidyledger.core.support.TestData.G1;
import static org.subsidyledger.core.support.TestData.HANGZHOU_HEADER;
import static org.subsidyledger.core.support.TestData.MODEL;
import static org.subsidyledger.core.support.TestData.PROVIDER_USCC;
import static org.subsidyledger.core.support.TestData.R1;
import static org.subsidyledger.core.support.TestData.V1;
import static org.subsidyledger.core.support.TestData.VENDOR;
import static org.subsidyledger.core.support.TestData.ZHUHAI_HEADER;
import static org.subsidyledger.core.support.TestData.beijingModelLaunched;
import static org.subsidyledger.core.support.TestData.cny;
import static org.subsidyledger.core.support.TestData.firm;
import static org.subsidyledger.core.support.TestData.hangzhouLaunched;
import static org.subsidyledger.core.support.TestData.zhuhaiLaunched;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.subsidyledger.core.housing.HousingEvent;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.housing.RecipientCategory;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.ProgramEvent;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.registry.RegistryEvent;
import org.subsidyledger.core.registry.RegistryEvent.ModelDeregistered;
import org.subsidyledger.core.registry.RegistryEvent.ModelRegistered;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccreditationWithdrawn;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.voucher.ModelUsage;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherEvent;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.ModelAccessRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * Every public event type survives a JSON round trip unchanged, shows money as {@code {"amount": "…", "currency": …}}
 * with a string amount and months as {@code "2026-07"} (SPEC §1, §3, §7), and carries an Axon {@link Revision} so
 * its schema version is recorded with it.
 */
class EventJsonRoundTripTest {
    private static final ObjectMapper JSON =
            new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final List<Class<?>> ROOTS =
            List.of(ProgramEvent.class, VoucherEvent.class, HousingEvent.class, RegistryEvent.class);

    private static final Instant EXPIRES_AT = Instant.parse("2027-02-28T16:00:00Z");

    /** One filled-in sample of every event type (both rule families for ProgramLaunched). */
    static List<Object> samples() {
        Recipient recipient = new Recipient("p-001", RecipientCategory.GRADUATE);
        List<ScheduledMonth> schedule = List.of(
                new ScheduledMonth(YearMonth.of(2026, 7), 1, Ratio.of("1.0"), cny("4000.00")),
                new ScheduledMonth(YearMonth.of(2027, 7), 2, Ratio.of("0.7"), cny("2800.00")));
        List<MonthRelease> releases = List.of(
                new MonthRelease(YearMonth.of(2026, 8), cny("4000.00")),
                new MonthRelease(YearMonth.of(2026, 9), cny("4000.00")));
        return List.of(
                hangzhouLaunched(),
                zhuhaiLaunched(24),
                zhuhaiLaunched(null),
                new FundsAppropriated(HANGZHOU_HEADER, cny("250000000.00"), "HZ-2026-compute-pool", 2026),
                new FundsRescinded(HANGZHOU_HEADER, cny("1000000.50"), "budget cut", 2026),
                new ProgramClosed(BJ_MODEL_HEADER, "programme ended"),
                new VoucherIssued(
                        HANGZHOU_HEADER,
                        V1,
                        firm(FIRM_A, "software", "grp-a"),
                        "grp-a",
                        cny("8000000.00"),
                        Ratio.of("0.30"),
                        Payee.BENEFICIARY,
                        2026,
                        EXPIRES_AT),
                new ComputeRedeemed(
                        HANGZHOU_HEADER,
                        V1,
                        R1,
                        FIRM_A,
                        "grp-a",
                        "c-1",
                        "inv-1",
                        ALIYUN,
                        "grp-cloud",
                        cny("10000000.00"),
                        new BigDecimal("1200.5"),
                        Ratio.of("0.30"),
                        cny("3000000.00"),
                        cny("5000000.00"),
                        Payee.BENEFICIARY),
                new ModelAccessRedeemed(
                        BJ_MODEL_HEADER,
                        V1,
                        R1,
                        FIRM_A,
                        null,
                        "c-2",
                        "inv-2",
                        VENDOR,
                        "grp-models",
                        MODEL,
                        ModelUsage.API_ACCESS,
                        cny("1234567.89"),
                        Ratio.of("0.30"),
                        cny("370370.37"),
                        cny("629629.63"),
                        Payee.PROVIDER),
                new RedemptionSettled(
                        HANGZHOU_HEADER, V1, R1, ALIYUN, Payee.BENEFICIARY, cny("3000000.00"), "pay-2026-0001"),
                new VoucherRevoked(
                        HANGZHOU_HEADER,
                        V1,
                        cny("8000000.00"),
                        cny("3000000.00"),
                        cny("5000000.00"),
                        "fraud suspected"),
                new VoucherExpired(HANGZHOU_HEADER, V1, EXPIRES_AT, cny("8000000.00"), cny("0.01"), cny("7999999.99")),
                new HousingSubsidyGranted(
                        ZHUHAI_HEADER,
                        G1,
                        recipient,
                        YearMonth.of(2026, 7),
                        cny("4000.00"),
                        3,
                        24,
                        schedule,
                        cny("6800.00")),
                new HousingSubsidyPaid(
                        ZHUHAI_HEADER,
                        G1,
                        "p-001",
                        YearMonth.of(2027, 7),
                        2,
                        Ratio.of("0.7"),
                        cny("3000.00"),
                        "lease-1",
                        cny("2800.00"),
                        cny("2100.00"),
                        cny("700.00")),
                new HousingMonthsLapsed(ZHUHAI_HEADER, G1, "p-001", releases, cny("8000.00")),
                new HousingGrantTerminated(
                        ZHUHAI_HEADER,
                        G1,
                        "p-001",
                        "left the city",
                        YearMonth.of(2026, 8),
                        1,
                        null,
                        releases,
                        cny("8000.00"),
                        cny("4000.00"),
                        cny("0.00")),
                new HousingGrantTerminated(
                        ZHUHAI_HEADER,
                        GrantId.of("g-2"),
                        "p-002",
                        "left the city",
                        YearMonth.of(2029, 7),
                        36,
                        24,
                        List.of(),
                        cny("0.00"),
                        cny("105600.00"),
                        cny("0.00")),
                new ProviderAccredited(
                        ALIYUN, "Hangzhou Cloud Compute Co.", PROVIDER_USCC, ProviderKind.COMPUTE, "grp-cloud", "CN"),
                new ProviderAccredited(
                        VENDOR, "Example AI Inc.", "example-ai-inc", ProviderKind.MODEL_VENDOR, null, "US"),
                new ProviderAccreditationWithdrawn(VENDOR, ProviderKind.MODEL_VENDOR, "CN", "licence lapsed"),
                new ModelRegistered(MODEL, "Example LLM 2", VENDOR, "CN"),
                new ModelDeregistered(MODEL, VENDOR, "CN", "filing revoked"),
                beijingModelLaunched());
    }

    static Stream<Arguments> sampleEvents() {
        return samples().stream().map(e -> Arguments.of(e.getClass().getSimpleName(), e));
    }

    /** The concrete record types reachable from the sealed event interfaces, through nested sealed interfaces. */
    static Set<Class<?>> concreteEventTypes() {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (Class<?> root : ROOTS) {
            collect(root, found);
        }
        return found;
    }

    private static void collect(Class<?> type, Set<Class<?>> found) {
        if (type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                collect(permitted, found);
            }
        } else {
            found.add(type);
        }
    }

    @Test
    void theSealedEventHierarchiesHoldTheEighteenPublicEventTypes() {
        assertThat(concreteEventTypes())
                .extracting(Class::getSimpleName)
                .containsExactlyInAnyOrder(
                        "ProgramLaunched",
                        "FundsAppropriated",
                        "FundsRescinded",
                        "ProgramClosed",
                        "VoucherIssued",
                        "ComputeRedeemed",
                        "ModelAccessRedeemed",
                        "RedemptionSettled",
                        "VoucherRevoked",
                        "VoucherExpired",
                        "HousingSubsidyGranted",
                        "HousingSubsidyPaid",
                        "HousingMonthsLapsed",
                        "HousingGrantTerminated",
                        "ProviderAccredited",
                        "ProviderAccreditationWithdrawn",
                        "ModelRegistered",
                        "ModelDeregistered");
    }

    @Test
    void everyEventTypeIsARecordCarryingARevision() {
        for (Class<?> type : concreteEventTypes()) {
            assertThat(type.isRecord()).as(type.getName() + " is a record").isTrue();
            Revision revision = type.getAnnotation(Revision.class);
            assertThat(revision).as(type.getName() + " carries @Revision").isNotNull();
            assertThat(revision.value()).as(type.getName() + " revision").isNotBlank();
        }
    }

    @Test
    void theSamplesCoverEveryEventType() {
        Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(concreteEventTypes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    void eventSurvivesAJsonRoundTripUnchanged(String name, Object event) throws Exception {
        String json = JSON.writeValueAsString(event);
        Object back = JSON.readValue(json, event.getClass());
        assertThat(back).isEqualTo(event);
        assertThat(JSON.writeValueAsString(back)).isEqualTo(json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    void everyMoneyInAnEventIsAnObjectWithAStringAmountOfTwoDecimals(String name, Object event) throws Exception {
        JsonNode tree = JSON.valueToTree(event);
        List<JsonNode> money = new ArrayList<>();
        collectMoney(tree, money);
        int expectedMoneyFields = countMoney(event);
        assertThat(money).as("money objects in " + tree).hasSize(expectedMoneyFields);
        for (JsonNode m : money) {
            assertThat(m.get("amount").isTextual()).as(m.toString()).isTrue();
            assertThat(m.get("amount").asText()).matches("-?(0|[1-9][0-9]*)\\.[0-9]{2}");
            assertThat(m.get("currency").asText()).isIn("CNY", "USD");
            assertThat(m.size()).isEqualTo(2);
        }
    }

    /** Money fields found by walking the record components (and the lists and records inside them). */
    private static int countMoney(Object value) throws Exception {
        if (value instanceof Money) {
            return 1;
        }
        if (value instanceof List<?> list) {
            int n = 0;
            for (Object o : list) {
                n += countMoney(o);
            }
            return n;
        }
        if (value != null && value.getClass().isRecord()) {
            int n = 0;
            for (var component : value.getClass().getRecordComponents()) {
                n += countMoney(component.getAccessor().invoke(value));
            }
            return n;
        }
        return 0;
    }

    private static void collectMoney(JsonNode node, List<JsonNode> money) {
        if (node.isObject() && node.has("amount") && node.has("currency") && node.size() == 2) {
            money.add(node);
            return;
        }
        if (node.isContainerNode()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collectMoney(it.next(), money);
            }
        }
    }

    @Test
    void amountsAreStringsInTheJson() throws Exception {
        JsonNode issued = JSON.valueToTree(samples().stream()
                .filter(VoucherIssued.class::isInstance)
                .findFirst()
                .orElseThrow());
        assertThat(issued.get("faceValue").get("amount").isTextual()).isTrue();
        assertThat(issued.get("faceValue").get("amount").asText()).isEqualTo("8000000.00");
        assertThat(issued.get("faceValue").get("currency").asText()).isEqualTo("CNY");
        assertThat(issued.get("coverageRatio").isTextual()).isTrue();
        assertThat(issued.get("coverageRatio").asText()).isEqualTo("0.30");
        assertThat(issued.get("expiresAt").asText()).isEqualTo("2027-02-28T16:00:00Z");
        assertThat(issued.get("voucherId").asText()).isEqualTo("v-1");

        JsonNode rescinded = JSON.valueToTree(samples().stream()
                .filter(FundsRescinded.class::isInstance)
                .findFirst()
                .orElseThrow());
        assertThat(rescinded.get("amount").get("amount").asText()).isEqualTo("1000000.50");

        JsonNode launched = JSON.valueToTree(zhuhaiLaunched(24));
        assertThat(launched.at("/rules/monthlyRentCap/amount").isTextual()).isTrue();
        assertThat(launched.at("/rules/monthlyRentCap/amount").asText()).isEqualTo("5000.00");
        assertThat(launched.at("/rules/capPerRecipient/amount").asText()).isEqualTo("120000.00");
        assertThat(launched.at("/rules/schedule/1").asText()).isEqualTo("0.7");
    }

    @Test
    void monthsAreWrittenAsYearDashMonthStrings() throws Exception {
        Map<Class<?>, JsonNode> trees = new HashMap<>();
        for (Object e : samples()) {
            trees.putIfAbsent(e.getClass(), JSON.valueToTree(e));
        }
        JsonNode granted = trees.get(HousingSubsidyGranted.class);
        assertThat(granted.get("startMonth").isTextual()).isTrue();
        assertThat(granted.get("startMonth").asText()).isEqualTo("2026-07");
        assertThat(granted.at("/schedule/0/month").asText()).isEqualTo("2026-07");
        assertThat(granted.at("/schedule/1/month").asText()).isEqualTo("2027-07");
        assertThat(granted.at("/schedule/0/committed/amount").asText()).isEqualTo("4000.00");
        assertThat(granted.get("recipient").get("personRef").asText()).isEqualTo("p-001");
        assertThat(granted.get("recipient").get("category").asText()).isEqualTo("GRADUATE");

        assertThat(trees.get(HousingSubsidyPaid.class).get("month").asText()).isEqualTo("2027-07");
        assertThat(trees.get(HousingMonthsLapsed.class).at("/months/0/month").asText())
                .isEqualTo("2026-08");
        JsonNode terminated = trees.get(HousingGrantTerminated.class);
        assertThat(terminated.get("effectiveMonth").asText()).isEqualTo("2026-08");
        assertThat(terminated.at("/releasedMonths/1/month").asText()).isEqualTo("2026-09");
        assertThat(terminated.at("/clawbackDue/amount").asText()).isEqualTo("0.00");
    }

    @Test
    void eventFromJsonTextWithStringAmountsIsRead() throws Exception {
        String json = """
                {"programId":"gd-zhuhai-housing-2026","province":"CN-GD","city":"Zhuhai",
                 "programKind":"HOUSING_SUBSIDY","currency":"CNY","grantId":"g-1","personRef":"p-001",
                 "month":"2027-07","grantYear":2,"rate":"0.7",
                 "rentPaid":{"amount":"3000.00","currency":"CNY"},"leaseRef":"lease-1",
                 "committed":{"amount":"2800.00","currency":"CNY"},
                 "amount":{"amount":"2100.00","currency":"CNY"},
                 "released":{"amount":"700.00","currency":"CNY"}}
                """;
        HousingSubsidyPaid paid = JSON.readValue(json, HousingSubsidyPaid.class);
        assertThat(paid)
                .isEqualTo(samples().stream()
                        .filter(HousingSubsidyPaid.class::isInstance)
                        .findFirst()
                        .orElseThrow());
    }
}
