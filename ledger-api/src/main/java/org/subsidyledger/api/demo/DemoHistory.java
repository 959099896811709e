package org.subsidyledger.api.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.housing.RecipientCategory;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.CloseProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.registry.RegistryCommands.DeregisterModel;
import org.subsidyledger.core.registry.RegistryCommands.RegisterModel;
import org.subsidyledger.core.registry.RegistryCommands.WithdrawAccreditation;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.ModelUsage;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * The demo's story: about two years of activity of the seed scenario's programs, ending at a chosen instant, as a
 * discrete-event simulation. Every step is a command sent at a simulated instant through {@link Ledger}; the next
 * steps of a voucher or grant are planned when a step is accepted (a redemption after an issue, a settlement after a
 * redemption), so the story follows what the ledger decided. One {@link Random} with a fixed seed draws every choice
 * in the order the steps run, so the same seed and end instant give the same history.
 *
 * <p>The story is built to give the read side and the fiscal alerts (SPEC §6) something to show: registries of real
 * providers and models, vouchers issued, redeemed (partly, fully), settled late or not at all, revoked and left to
 * expire; housing grants in Zhuhai and Lin-gang with monthly claims, unclaimed months that lapse, talents leaving early;
 * yearly top-ups (Beijing's jump by more than half in the last fiscal year), a rescission in Shanghai, Beijing's compute
 * program closed, Shenzhen's training vouchers paid mostly to one provider group, Beijing's model vouchers little used,
 * Shanghai's redemptions left payable for months, and Henan's program running out of money.
 */
final class DemoHistory {

    /** Where the story sends its commands. */
    interface Ledger {
        /** Sends a command at the current simulated instant; false if the ledger rejected it. */
        boolean send(Object command);

        /** The end of a local day at {@code midnight}: the daily expiry and lapse sweep and the day-end seal. */
        void endOfDay(Instant midnight);

        /** Moves the simulated clock (event time) to {@code instant}. */
        void at(Instant instant);
    }

    static final int DAYS = 730;
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final Ledger ledger;
    private final Random random;
    private final Instant start;
    private final Instant end;
    private final PriorityQueue<Step> steps = new PriorityQueue<>();
    private long stepSequence;
    private final Map<ProgramId, Plan> plans = new LinkedHashMap<>();
    private final Map<String, ProviderSeed> providers = new LinkedHashMap<>();
    private final Map<String, List<String>> modelsByVendor = new HashMap<>();
    private final Map<String, Boolean> modelRegistered = new HashMap<>();
    private final Map<String, Integer> invoiceCounters = new HashMap<>();
    private int firmCounter;
    /** The instant of the step that runs now. */
    private Instant currentStepInstant;

    private int personCounter;

    DemoHistory(Ledger ledger, long seed, Instant end) {
        this.ledger = ledger;
        this.random = new Random(seed);
        this.end = end;
        this.start = end.minus(Duration.ofDays(DAYS));
    }

    Instant start() {
        return start;
    }

    /** Plans the whole story, then runs its steps in the order of their instants. */
    void run(List<DemoPrograms.Seed> seeds) {
        planRegistries();
        for (DemoPrograms.Seed seed : seeds) {
            planProgram(seed);
        }
        planDays();
        while (!steps.isEmpty()) {
            Step step = steps.poll();
            currentStepInstant = step.at();
            ledger.at(step.at());
            step.action().run();
        }
    }

    // ================================================================ steps

    private record Step(Instant at, int priority, long sequence, Runnable action) implements Comparable<Step> {
        @Override
        public int compareTo(Step o) {
            int c = at.compareTo(o.at);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(priority, o.priority);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** Plans an action at {@code at}, if that lies within the story (after its start, not after its end). */
    private void plan(Instant at, Runnable action) {
        if (at.isAfter(start) && !at.isAfter(end)) {
            steps.add(new Step(at, 1, stepSequence++, action));
        }
    }

    /** A local midnight (Asia/Shanghai) each day: the sweep and the seal, before any command of that instant. */
    private void planDays() {
        LocalDate first = start.atZone(CHINA).toLocalDate().plusDays(1);
        for (LocalDate day = first; ; day = day.plusDays(1)) {
            Instant midnight = day.atStartOfDay(CHINA).toInstant();
            if (midnight.isAfter(end)) {
                break;
            }
            steps.add(new Step(midnight, 0, stepSequence++, () -> ledger.endOfDay(midnight)));
        }
    }

    /** A random office-hours instant (09:00-17:59 local) on the day {@code days} after the start. */
    private Instant officeHours(double days, ZoneId zone) {
        LocalDate day = start.plus(Duration.ofMinutes(Math.round(days * 24 * 60)))
                .atZone(zone)
                .toLocalDate();
        Instant at = officeHours(day, zone);
        // the first day's office hours may lie before the story starts: then the next day's
        return at.isAfter(start) ? at : at.plus(Duration.ofDays(1));
    }

    private Instant officeHours(LocalDate day, ZoneId zone) {
        LocalTime time = LocalTime.of(9, 0).plusSeconds(random.nextInt(9 * 3600));
        return day.atTime(time).atZone(zone).toInstant();
    }

    private double uniform(double from, double to) {
        return from + random.nextDouble() * (to - from);
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    // ================================================================ registries

    private record ProviderSeed(
            String providerId,
            String name,
            String id,
            ProviderKind kind,
            String group,
            String country,
            String[] models) {}

    private void planRegistries() {
        List<ProviderSeed> seeds = List.of(
                compute("aliyun", "Alibaba Cloud Computing", "330100", "alibaba"),
                compute("tencent-cloud", "Tencent Cloud Computing (Beijing)", "440300", "tencent"),
                compute("huawei-cloud", "Huawei Cloud Computing Technologies", "520900", "huawei"),
                compute("baidu-cloud", "Baidu AI Cloud", "110108", "baidu"),
                compute("ctyun", "China Telecom Cloud Technology", "110102", "china-telecom"),
                compute("sensecore", "SenseTime SenseCore", "310104", "sensetime"),
                compute(
                        "zz-compute",
                        "Zhengzhou Artificial Intelligence Computing Center",
                        "410100",
                        "henan-investment"),
                compute("lingang-compute", "Lin-gang New Area Intelligent Computing Hub", "310115", "lingang-group"),
                compute("volcengine", "Volcano Engine", "110108", "bytedance"),
                vendor("zhipu", "Zhipu AI", "110108", "zhipu", "Beijing-GLM-4-20240116", "Beijing-GLM-4-Plus-20240829"),
                vendor("moonshot", "Moonshot AI", "110108", "moonshot", "Beijing-Kimi-20231116"),
                vendor("minimax", "MiniMax", "310104", "minimax", "Shanghai-abab-20230831"),
                vendor(
                        "deepseek",
                        "DeepSeek",
                        "330106",
                        "high-flyer",
                        "Zhejiang-DeepSeek-V2-20240508",
                        "Zhejiang-DeepSeek-V3-20241226"),
                vendor("iflytek", "iFlytek", "340100", "iflytek", "Anhui-Spark-20230831"),
                vendor("aliyun-models", "Alibaba Cloud Bailian", "330100", "alibaba", "Zhejiang-Qwen-20230831"),
                vendor("baidu-models", "Baidu ERNIE", "110108", "baidu", "Beijing-ERNIE-20230831"),
                usVendor("pacific-models", "Pacific Model Labs", "US-CA-PML-0001"),
                usVendor("bay-language", "Bay Area Language Systems", "US-CA-BLS-0001"),
                usVendor("sierra-reasoning", "Sierra Reasoning", "US-CA-SRI-0001"));
        double day = 0.02;
        for (ProviderSeed p : seeds) {
            providers.put(p.providerId(), p);
            plan(
                    officeHours(day, CHINA),
                    () -> ledger.send(new AccreditProvider(
                            ProviderId.of(p.providerId()), p.name(), p.id(), p.kind(), p.group(), p.country())));
            for (String model : p.models()) {
                modelsByVendor
                        .computeIfAbsent(p.providerId(), k -> new ArrayList<>())
                        .add(model);
                plan(
                        officeHours(day + 1, CHINA),
                        () -> modelRegistered.put(
                                model,
                                ledger.send(new RegisterModel(
                                        FilingNo.of(model), modelName(model), ProviderId.of(p.providerId())))));
            }
            day += 0.05;
        }
        // An accreditation withdrawn after an audit, and an older model replaced by its successor.
        plan(officeHours(480, CHINA), () -> {
            if (ledger.send(new WithdrawAccreditation(
                    ProviderId.of("volcengine"), "Accreditation audit: undisclosed related-party billing"))) {
                providers.put("volcengine", null);
            }
        });
        plan(officeHours(420, CHINA), () -> {
            if (ledger.send(new DeregisterModel(
                    FilingNo.of("Zhejiang-DeepSeek-V2-20240508"),
                    "Superseded by DeepSeek-V3; filing withdrawn by the vendor"))) {
                modelRegistered.put("Zhejiang-DeepSeek-V2-20240508", false);
            }
        });
    }

    private ProviderSeed compute(String providerId, String name, String region, String group) {
        return new ProviderSeed(providerId, name, uscc(region), ProviderKind.COMPUTE, group, "CN", new String[0]);
    }

    private ProviderSeed vendor(String providerId, String name, String region, String group, String... models) {
        return new ProviderSeed(providerId, name, uscc(region), ProviderKind.MODEL_VENDOR, group, "CN", models);
    }

    private static ProviderSeed usVendor(String providerId, String name, String model) {
        return new ProviderSeed(
                providerId, name, "EIN-" + providerId, ProviderKind.MODEL_VENDOR, providerId, "US", new String[] {model
                });
    }

    private static String modelName(String filingNo) {
        String[] parts = filingNo.split("-");
        return String.join("-", Arrays.copyOfRange(parts, 1, parts.length - 1));
    }

    /** A Unified Social Credit Code of a company registered in {@code region}, with its check character. */
    private String uscc(String region) {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        StringBuilder code = new StringBuilder("91").append(region).append("MA");
        for (int i = 0; i < 7; i++) {
            code.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return code.append(Uscc.checkCharacter(code.toString())).toString();
    }

    // ================================================================ programs

    /**
     * How a voucher program's story goes: when it is launched (days after the start), how many vouchers it issues and
     * over which days, their face values (as shares of the maximum), how much of them is used, how its redemptions are
     * settled, its providers (weights) and the top-ups of the following fiscal years.
     */
    private record Shape(
            int launchDay,
            int vouchers,
            int issueFrom,
            int issueTo,
            int faceFromPercent,
            int faceToPercent,
            int unusedPercent,
            int revokePercent,
            int settlePercent,
            int settleFrom,
            int settleTo,
            Map<String, Integer> providerWeights,
            long[] topUps) {
        double faceFrom() {
            return faceFromPercent / 100.0;
        }

        double faceTo() {
            return faceToPercent / 100.0;
        }

        double unused() {
            return unusedPercent / 100.0;
        }

        double revoke() {
            return revokePercent / 100.0;
        }

        double settle() {
            return settlePercent / 100.0;
        }
    }

    /** A program while the story runs. */
    private final class Plan {
        final DemoPrograms.Seed seed;
        final Jurisdiction jurisdiction;
        final CurrencyCode currency;
        final ZoneId zone;
        final List<Firm> firms = new ArrayList<>();
        final Map<String, Money> issuedByCapKey = new HashMap<>();
        final List<String> groups = new ArrayList<>();
        boolean closed;
        int issued;

        Plan(DemoPrograms.Seed seed) {
            this.seed = seed;
            this.jurisdiction = Jurisdiction.parse(seed.launch().province());
            this.currency = seed.launch().currency();
            this.zone = jurisdiction.zone();
            String code = jurisdiction.code().toLowerCase();
            for (int i = 1; i <= 4; i++) {
                groups.add(code + "-group-" + i);
            }
        }

        ProgramId id() {
            return seed.programId();
        }
    }

    private record Firm(String id, String name, String sector, String group) {
        Beneficiary beneficiary() {
            return new Beneficiary(id, name, sector, group);
        }

        String capKey() {
            return group != null ? group : id;
        }
    }

    private static Map<String, Integer> weights(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return map;
    }

    private static Shape shapeOf(String programId) {
        return switch (programId) {
            case "zj-hangzhou-compute-2026" ->
                new Shape(
                        365,
                        55,
                        370,
                        725,
                        6,
                        50,
                        20,
                        3,
                        90,
                        5,
                        25,
                        weights("aliyun", 5, "ctyun", 2, "huawei-cloud", 2, "volcengine", 1),
                        new long[0]);
            case "bj-compute-2025" ->
                new Shape(
                        1,
                        70,
                        5,
                        680,
                        15,
                        100,
                        25,
                        4,
                        90,
                        5,
                        25,
                        weights("baidu-cloud", 3, "volcengine", 3, "ctyun", 2, "huawei-cloud", 2),
                        new long[] {80_000_000L, 150_000_000L});
            case "bj-model-2025" ->
                new Shape(
                        1,
                        60,
                        8,
                        700,
                        10,
                        100,
                        85,
                        2,
                        90,
                        5,
                        25,
                        weights("zhipu", 3, "moonshot", 3, "baidu-models", 2, "deepseek", 2),
                        new long[] {80_000_000L, 100_000_000L});
            case "sh-compute-2025" ->
                new Shape(
                        2,
                        60,
                        10,
                        720,
                        10,
                        100,
                        20,
                        3,
                        55,
                        10,
                        90,
                        weights("sensecore", 4, "lingang-compute", 3, "aliyun", 2, "tencent-cloud", 1),
                        new long[] {300_000_000L, 330_000_000L});
            case "sh-model-2025" ->
                new Shape(
                        2,
                        55,
                        12,
                        715,
                        10,
                        100,
                        30,
                        3,
                        90,
                        5,
                        25,
                        weights("minimax", 4, "deepseek", 3, "aliyun-models", 2, "iflytek", 1),
                        new long[] {150_000_000L, 160_000_000L});
            case "gd-shenzhen-training-2025" ->
                new Shape(
                        3,
                        55,
                        10,
                        720,
                        20,
                        100,
                        15,
                        2,
                        90,
                        5,
                        25,
                        weights("tencent-cloud", 12, "huawei-cloud", 1, "aliyun", 1),
                        new long[] {250_000_000L, 260_000_000L});
            case "gd-shenzhen-model-2025" ->
                new Shape(
                        3,
                        55,
                        12,
                        720,
                        10,
                        100,
                        30,
                        3,
                        90,
                        5,
                        25,
                        weights("deepseek", 2, "zhipu", 2, "minimax", 2, "aliyun-models", 2, "iflytek", 2),
                        new long[] {50_000_000L, 50_000_000L});
            case "ha-compute-2025" ->
                new Shape(
                        420,
                        90,
                        425,
                        725,
                        50,
                        100,
                        20,
                        1,
                        90,
                        5,
                        25,
                        weights("zz-compute", 5, "huawei-cloud", 3, "ctyun", 2),
                        new long[0]);
            case "us-ca-ai-service-2026" ->
                new Shape(
                        400,
                        45,
                        405,
                        720,
                        10,
                        100,
                        90,
                        2,
                        90,
                        5,
                        25,
                        weights("pacific-models", 4, "bay-language", 3, "sierra-reasoning", 3),
                        new long[0]);
            default -> null;
        };
    }

    private void planProgram(DemoPrograms.Seed seed) {
        Plan plan = new Plan(seed);
        plans.put(seed.programId(), plan);
        String id = seed.programId().value();
        boolean housing = seed.launch().rules() instanceof HousingSettings;
        Shape shape = housing ? null : shapeOf(id);
        int launchDay = housing ? 2 : shape == null ? 3 : shape.launchDay();
        Instant launch = officeHours(launchDay, plan.zone);
        plan(launch, () -> {
            if (ledger.send(seed.launch())) {
                seed.appropriations().forEach(ledger::send);
            }
        });
        if (housing) {
            planHousing(plan, (HousingSettings) seed.launch().rules(), launchDay);
        } else if (shape != null) {
            planVouchers(plan, shape);
            planTopUps(plan, shape, launch);
        }
        switch (id) {
            case "ha-compute-2025" ->
                plan(
                        officeHours(660, plan.zone),
                        () -> ledger.send(new AppropriateFunds(
                                plan.id(), cny(5_000_000L), "HA supplementary allocation for compute vouchers")));
            case "sh-model-2025" ->
                plan(
                        officeHours(540, plan.zone),
                        () -> ledger.send(new RescindFunds(
                                plan.id(),
                                cny(200_000_000L),
                                "Mid-year budget adjustment: unspent model-voucher funds returned")));
            case "bj-compute-2025" ->
                plan(officeHours(650, plan.zone), () -> {
                    if (ledger.send(new CloseProgram(plan.id(), "The 2023-2025 compute action plan has ended"))) {
                        plan.closed = true;
                    }
                });
            default -> {}
        }
    }

    /** Top-ups on the first office day of each following fiscal year of the program's jurisdiction. */
    private void planTopUps(Plan plan, Shape shape, Instant launch) {
        int fiscalYear = plan.jurisdiction.fiscalYearOf(launch);
        for (int k = 0; k < shape.topUps().length; k++) {
            int year = fiscalYear + k + 1;
            LocalDate firstDay = plan.jurisdiction
                    .fiscalYearStart(year)
                    .atZone(plan.zone)
                    .toLocalDate()
                    .plusDays(2);
            long amount = shape.topUps()[k];
            plan(
                    officeHours(firstDay, plan.zone),
                    () -> ledger.send(new AppropriateFunds(
                            plan.id(), Money.of(amount + ".00", plan.currency), plan.id() + "-FY" + year + "-budget")));
        }
    }

    private Money cny(long amount) {
        return Money.of(amount + ".00", CurrencyCode.CNY);
    }

    // ================================================================ vouchers

    private void planVouchers(Plan plan, Shape shape) {
        VoucherSettings settings = (VoucherSettings) plan.seed.launch().rules();
        for (int i = 0; i < shape.vouchers(); i++) {
            Instant at = officeHours(uniform(shape.issueFrom(), shape.issueTo()), plan.zone);
            plan(at, () -> issue(plan, shape, settings));
        }
    }

    private void issue(Plan plan, Shape shape, VoucherSettings settings) {
        Instant now = currentStepInstant;
        int number = ++plan.issued;
        VoucherId voucherId = VoucherId.of(plan.id().value().replaceAll("-20\\d\\d$", "") + "-v" + number);
        BigDecimal max = settings.maxVoucherValue().amount();
        BigDecimal step = plan.currency == CurrencyCode.USD ? new BigDecimal("1000") : new BigDecimal("10000");
        BigDecimal face = max.multiply(BigDecimal.valueOf(uniform(shape.faceFrom(), shape.faceTo())))
                .divide(step, 0, RoundingMode.HALF_UP)
                .multiply(step)
                .max(step)
                .min(max);
        Money faceValue = Money.of(face.setScale(2).toPlainString(), plan.currency);
        int fiscalYear = plan.jurisdiction.fiscalYearOf(now);
        Firm firm = firmFor(plan, settings, faceValue, fiscalYear);
        if (random.nextInt(100) == 0) {
            // an applicant from a sector the program does not fund: refused (INELIGIBLE_SECTOR)
            firm = new Firm(
                    firm.id(),
                    firm.name(),
                    "landscaping".equals(settings.eligibleSectors().get(0)) ? "software" : eligibleOutside(settings),
                    firm.group());
        }
        if (!ledger.send(new IssueVoucher(plan.id(), voucherId, firm.beneficiary(), faceValue))) {
            return;
        }
        plan.issuedByCapKey.merge(firm.capKey() + "/" + fiscalYear, faceValue, Money::plus);
        VoucherState voucher = new VoucherState(
                plan, settings, voucherId, faceValue, now, now.plus(Duration.ofDays(settings.validityDays())));
        planUse(voucher, shape);
    }

    private String eligibleOutside(VoucherSettings settings) {
        for (String sector : List.of("landscaping", "gaming", "justice", "research", "software")) {
            if (!settings.eligibleSectors().contains(sector)) {
                return sector;
            }
        }
        return settings.eligibleSectors().get(0);
    }

    /** A firm of the program's province with room under the cap for {@code face} in this fiscal year. */
    private Firm firmFor(Plan plan, VoucherSettings settings, Money face, int fiscalYear) {
        Money cap = settings.capPerBeneficiaryPerYear();
        if (!plan.firms.isEmpty() && random.nextInt(100) < 40) {
            Firm candidate = pick(plan.firms);
            Money used =
                    plan.issuedByCapKey.getOrDefault(candidate.capKey() + "/" + fiscalYear, Money.zero(plan.currency));
            if (!used.plus(face).greaterThan(cap)) {
                return candidate;
            }
        }
        Firm firm = newFirm(plan, settings);
        Money used = plan.issuedByCapKey.getOrDefault(firm.capKey() + "/" + fiscalYear, Money.zero(plan.currency));
        if (used.plus(face).greaterThan(cap) && random.nextInt(20) != 0) {
            // the group is full this year: the firm applies on its own (one in twenty is refused at the cap)
            firm = new Firm(firm.id(), firm.name(), firm.sector(), null);
        }
        plan.firms.add(firm);
        return firm;
    }

    private static final String[] NAME_WORDS = {
        "Zhiyuan",
        "Lianxin",
        "Tianrui",
        "Haina",
        "Xinghe",
        "Jiuzhou",
        "Ruiyun",
        "Shuzhi",
        "Hengtong",
        "Qiming",
        "Yunfan",
        "Huaxin",
        "Boya",
        "Chuangyu",
        "Dingsheng",
        "Lingxi"
    };
    private static final String[] US_WORDS = {
        "Redwood", "Pacific", "Golden", "Sierra", "Mission", "Harbor", "Summit", "Coastal", "Valley", "Cypress"
    };

    private Firm newFirm(Plan plan, VoucherSettings settings) {
        int n = ++firmCounter;
        String sector = pick(settings.eligibleSectors());
        String group = random.nextInt(100) < 25 ? pick(plan.groups) : null;
        if (plan.jurisdiction.country().equals("US")) {
            String name = US_WORDS[random.nextInt(US_WORDS.length)] + " " + capitalised(sector) + " Labs " + n;
            return new Firm(
                    "EIN-" + (10 + random.nextInt(89)) + "-" + (1_000_000 + random.nextInt(8_999_999)),
                    name,
                    sector,
                    group);
        }
        String city = plan.seed.launch().city() != null ? plan.seed.launch().city() : plan.jurisdiction.displayName();
        String name = city + " " + NAME_WORDS[random.nextInt(NAME_WORDS.length)] + " " + capitalised(sector)
                + " Technology Co., Ltd. (" + n + ")";
        return new Firm(uscc(regionOf(plan)), name, sector, group);
    }

    private static String capitalised(String sector) {
        String words = sector.replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String regionOf(Plan plan) {
        return switch (plan.jurisdiction.code()) {
            case "CN-ZJ" -> "330100";
            case "CN-BJ" -> "110108";
            case "CN-SH" -> "310115";
            case "CN-GD" ->
                plan.seed.launch().city() != null && plan.seed.launch().city().equals("Zhuhai") ? "440400" : "440300";
            case "CN-HA" -> "410100";
            default -> "110000";
        };
    }

    /** A voucher while the story runs: what the story knows of it to plan sensible requests. */
    private static final class VoucherState {
        final Plan plan;
        final VoucherSettings settings;
        final VoucherId id;
        final Instant issuedAt;
        final Instant expiresAt;
        Money remaining;
        boolean revoked;
        int redemptions;
        final Map<String, String> contracts = new HashMap<>();

        VoucherState(
                Plan plan, VoucherSettings settings, VoucherId id, Money face, Instant issuedAt, Instant expiresAt) {
            this.plan = plan;
            this.settings = settings;
            this.id = id;
            this.remaining = face;
            this.issuedAt = issuedAt;
            this.expiresAt = expiresAt;
        }
    }

    /** Plans the redemptions (and perhaps the revocation) of a voucher just issued. */
    private void planUse(VoucherState voucher, Shape shape) {
        double validity = voucher.settings.validityDays();
        boolean idle = random.nextDouble() < shape.unused() * 0.6;
        int count = idle ? 0 : 1 + random.nextInt(4);
        double usable = 1 - shape.unused();
        for (int i = 0; i < count; i++) {
            double offset = uniform(7, validity * 0.9);
            Instant at = officeHours(dayOf(voucher.issuedAt) + offset, voucher.plan.zone);
            boolean last = i == count - 1;
            plan(at, () -> redeem(voucher, shape, usable, last));
        }
        if (random.nextDouble() < shape.revoke()) {
            Instant at = officeHours(dayOf(voucher.issuedAt) + uniform(30, validity * 0.8), voucher.plan.zone);
            plan(at, () -> {
                if (!voucher.revoked
                        && ledger.send(new RevokeVoucher(
                                voucher.plan.id(),
                                voucher.id,
                                pick(List.of(
                                        "The beneficiary moved its registration out of the province",
                                        "False declaration of eligible spending found on inspection",
                                        "The beneficiary asked to cancel the voucher"))))) {
                    voucher.revoked = true;
                }
            });
        }
    }

    private double dayOf(Instant instant) {
        return Duration.between(start, instant).toMinutes() / (24.0 * 60);
    }

    private void redeem(VoucherState voucher, Shape shape, double usable, boolean last) {
        Instant now = currentStepInstant;
        if (voucher.revoked || voucher.remaining.isZero() || !now.isBefore(voucher.expiresAt)) {
            return;
        }
        String providerId = providerFor(shape);
        if (providerId == null) {
            return;
        }
        BigDecimal ratio = voucher.settings.coverageRatio().value();
        BigDecimal share = last && random.nextInt(100) < 20
                ? BigDecimal.valueOf(1.05)
                : BigDecimal.valueOf(uniform(0.2, 0.7) * usable + 0.05);
        BigDecimal subsidy = voucher.remaining.amount().multiply(share);
        BigDecimal invoice = subsidy.divide(ratio, 2, RoundingMode.HALF_UP).max(new BigDecimal("100.00"));
        Money invoiceAmount = Money.of(invoice.toPlainString(), voucher.plan.currency);
        String contract = voucher.contracts.computeIfAbsent(
                providerId, p -> "CT-" + voucher.id.value() + "-" + (voucher.contracts.size() + 1));
        int invoiceNumber = invoiceCounters.merge(providerId, 1, Integer::sum);
        String invoiceRef = "INV-" + providerId.toUpperCase() + "-" + invoiceNumber;
        if (invoiceNumber > 3 && random.nextInt(120) == 0) {
            invoiceRef =
                    "INV-" + providerId.toUpperCase() + "-" + (invoiceNumber - 1); // resubmitted: DUPLICATE_INVOICE
        }
        RedemptionId redemptionId = RedemptionId.of("r" + (++voucher.redemptions));
        Object command;
        if (voucher.plan.seed.launch().kind().name().equals("MODEL_VOUCHER")) {
            List<String> models = modelsByVendor.getOrDefault(providerId, List.of());
            List<String> live = models.stream()
                    .filter(m -> modelRegistered.getOrDefault(m, false))
                    .toList();
            String model = live.isEmpty() || random.nextInt(40) == 0 ? pick(models) : pick(live);
            command = new RedeemModelAccess(
                    voucher.plan.id(),
                    voucher.id,
                    redemptionId,
                    contract,
                    invoiceRef,
                    ProviderId.of(providerId),
                    FilingNo.of(model),
                    invoiceAmount,
                    random.nextInt(5) == 0 ? ModelUsage.LICENSE : ModelUsage.API_ACCESS);
        } else {
            BigDecimal hours = invoice.divide(BigDecimal.valueOf(8 + random.nextInt(12)), 1, RoundingMode.HALF_UP);
            command = new RedeemCompute(
                    voucher.plan.id(),
                    voucher.id,
                    redemptionId,
                    contract,
                    invoiceRef,
                    ProviderId.of(providerId),
                    invoiceAmount,
                    hours);
        }
        if (!ledger.send(command)) {
            return;
        }
        Money paid =
                Money.rounded(invoice.multiply(ratio), voucher.plan.currency).min(voucher.remaining);
        voucher.remaining = voucher.remaining.minus(paid);
        if (random.nextDouble() < shape.settle()) {
            Instant at = officeHours(dayOf(now) + uniform(shape.settleFrom(), shape.settleTo()), voucher.plan.zone);
            plan(
                    at,
                    () -> ledger.send(new SettleRedemption(
                            voucher.plan.id(),
                            voucher.id,
                            redemptionId,
                            "PAY-" + voucher.id.value() + "-" + redemptionId.value())));
        }
    }

    /** A provider by the program's weights; one withdrawn from the registry is mostly avoided by now. */
    private String providerFor(Shape shape) {
        int total = shape.providerWeights().values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        int draw = random.nextInt(total);
        String chosen = null;
        for (Map.Entry<String, Integer> e : shape.providerWeights().entrySet()) {
            draw -= e.getValue();
            if (draw < 0) {
                chosen = e.getKey();
                break;
            }
        }
        if (providers.get(chosen) == null && random.nextInt(10) != 0) {
            return shape.providerWeights().keySet().stream()
                    .filter(p -> providers.get(p) != null)
                    .findFirst()
                    .orElse(null);
        }
        return chosen;
    }

    // ================================================================ housing

    private void planHousing(Plan plan, HousingSettings settings, int launchDay) {
        boolean zhuhai = plan.id().value().startsWith("gd");
        int grants = zhuhai ? 60 : 45;
        for (int i = 0; i < grants; i++) {
            Instant at = officeHours(uniform(launchDay + 5, DAYS - 5), plan.zone);
            plan(at, () -> grant(plan, settings, zhuhai));
        }
    }

    private void grant(Plan plan, HousingSettings settings, boolean zhuhai) {
        Instant now = currentStepInstant;
        int n = ++personCounter;
        GrantId grantId = GrantId.of((zhuhai ? "zh-g" : "lg-g") + n);
        Recipient recipient = new Recipient(
                (zhuhai ? "ZH-TAL-" : "LG-TAL-") + (100000 + n * 37), RecipientCategory.values()[random.nextInt(3)]);
        YearMonth startMonth = plan.jurisdiction.monthOf(now);
        long rent = 2500 + 100L * random.nextInt(56);
        Money monthlyRent = Money.of(rent + ".00", plan.currency);
        if (!ledger.send(new GrantHousingSubsidy(plan.id(), grantId, recipient, startMonth, monthlyRent))) {
            return;
        }
        int months = 12 * settings.schedule().size();
        boolean leaves = random.nextDouble() < (zhuhai ? 0.15 : 0.2);
        int leaveAfter = leaves ? 3 + random.nextInt(Math.min(months - 6, 18)) : months;
        YearMonth effective = startMonth.plusMonths(leaveAfter);
        for (int k = 0; k < months; k++) {
            YearMonth month = startMonth.plusMonths(k);
            if (!month.isBefore(effective) || random.nextInt(100) < 6) {
                continue; // not subsidised any more, or never claimed: it lapses after the claim window
            }
            LocalDate claimDay = month.plusMonths(1).atDay(1).plusDays(random.nextInt(50));
            long paidRent = random.nextInt(10) == 0 ? rent * (70 + random.nextInt(30)) / 100 : rent;
            plan(
                    officeHours(claimDay, plan.zone),
                    () -> ledger.send(new ClaimHousingSubsidy(
                            plan.id(),
                            grantId,
                            month,
                            Money.of(paidRent + ".00", plan.currency),
                            "LEASE-" + grantId.value() + "-" + month.getYear())));
        }
        if (leaves) {
            LocalDate leaveDay = effective.minusMonths(1).atDay(10 + random.nextInt(15));
            plan(
                    officeHours(leaveDay, plan.zone),
                    () -> ledger.send(new TerminateHousingGrant(
                            plan.id(),
                            grantId,
                            pick(List.of(
                                    "Left the city for a position elsewhere",
                                    "Employer relocated out of the zone",
                                    "Bought a home in the city")),
                            effective)));
        }
    }
}
