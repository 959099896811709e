package org.subsidyledger.bench;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.subsidyledger.core.shared.Uscc;

/**
 * The world the benchmark seeds and the command mix it then sends (issue 13): 60 % compute and model redemptions over
 * every seeded voucher, 15 % voucher issues over every voucher program, 10 % settlements of earlier redemptions, 10 %
 * housing claims, 5 % commands the ledger must refuse (a duplicate invoice, a redemption on an exhausted voucher).
 *
 * <p>Each request names its own ids (redemption, invoice, voucher), so later requests can refer to earlier ones
 * without reading answers; every id carries the run's prefix.
 */
final class Mix {
    static final String[] PROVINCES = {"CN-ZJ", "CN-GD", "CN-BJ", "CN-SH"};
    private static final String[] CITIES = {"Hangzhou", "Shenzhen", "Beijing", "Shanghai"};
    private static final int COMPUTE_PROVIDERS = 4;
    private static final int MODEL_VENDORS = 2;

    record Program(String id, String province, boolean model) {}

    record Voucher(String id, Program program) {}

    record Redemption(Voucher voucher, String redemptionId) {}

    record Invoice(Voucher voucher, String providerId, String invoiceRef, String contractRef) {}

    record Claim(String grantId, String province, YearMonth month) {}

    private final Tokens tokens;
    private final Map<String, String> officerTokens = new ConcurrentHashMap<>();
    private final String national;
    private final List<Program> voucherPrograms = new ArrayList<>();
    private final List<Program> housingPrograms = new ArrayList<>();
    private final List<Voucher> vouchers = Collections.synchronizedList(new ArrayList<>());
    private final List<Voucher> exhausted = new ArrayList<>();
    private final Queue<Redemption> unsettled = new ConcurrentLinkedQueue<>();
    private final List<Invoice> invoices = Collections.synchronizedList(new ArrayList<>());
    private final Queue<Claim> claimable = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong firms = new AtomicLong();
    private final YearMonth currentMonth = YearMonth.now(ZoneId.of("Asia/Shanghai"));

    Mix(Tokens tokens, int programs) {
        this.tokens = tokens;
        this.national = "Bearer " + tokens.national("bench-national", "NATIONAL_ADMIN");
        for (int i = 0; i < programs; i++) {
            voucherPrograms.add(new Program("bench-p" + i, PROVINCES[i % PROVINCES.length], i % 2 == 1));
        }
        housingPrograms.add(new Program("bench-h0", "CN-GD", false));
        housingPrograms.add(new Program("bench-h1", "CN-SH", false));
    }

    String nationalToken() {
        return national;
    }

    String auditorToken() {
        return "Bearer " + tokens.national("bench-auditor", "AUDITOR");
    }

    List<Program> voucherPrograms() {
        return voucherPrograms;
    }

    List<Voucher> vouchers() {
        return vouchers;
    }

    private String officer(String province) {
        return officerTokens.computeIfAbsent(province, p -> "Bearer " + tokens.officer(p));
    }

    // ---------------------------------------------------------------- seeding

    /** Registries, programs and their appropriations: sent one after another, each depends on the one before. */
    List<Call> registries() {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < COMPUTE_PROVIDERS; i++) {
            calls.add(post(
                    "seed",
                    "/api/v1/providers",
                    provider("bench-cp" + i, uscc("91330100MA2X", i), "COMPUTE"),
                    national,
                    null));
        }
        for (int i = 0; i < MODEL_VENDORS; i++) {
            calls.add(post(
                    "seed",
                    "/api/v1/providers",
                    provider("bench-mv" + i, uscc("91330100MA2X", 100 + i), "MODEL_VENDOR"),
                    national,
                    null));
            calls.add(post(
                    "seed",
                    "/api/v1/models",
                    "{\"filingNo\":\"bench-model-" + i + "\",\"name\":\"Model " + i + "\",\"vendorId\":\"bench-mv" + i
                            + "\"}",
                    national,
                    null));
        }
        for (int i = 0; i < voucherPrograms.size(); i++) {
            Program p = voucherPrograms.get(i);
            calls.add(post(
                    "seed",
                    "/api/v1/programs",
                    voucherProgram(p, CITIES[i % CITIES.length]),
                    officer(p.province()),
                    null));
            calls.add(post(
                    "seed",
                    "/api/v1/programs/" + p.id() + "/appropriations",
                    appropriation(p.id()),
                    officer(p.province()),
                    null));
        }
        for (Program p : housingPrograms) {
            calls.add(post("seed", "/api/v1/programs", housingProgram(p), officer(p.province()), null));
            calls.add(post(
                    "seed",
                    "/api/v1/programs/" + p.id() + "/appropriations",
                    appropriation(p.id()),
                    officer(p.province()),
                    null));
        }
        return calls;
    }

    /** Vouchers spread over the voucher programs, a few small ones to exhaust, and housing grants. */
    List<Call> holdings(int voucherCount, int grantCount) {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < voucherCount; i++) {
            Program p = voucherPrograms.get(i % voucherPrograms.size());
            Voucher v = new Voucher("bench-v" + i, p);
            calls.add(post(
                    "seed",
                    "/api/v1/programs/" + p.id() + "/vouchers",
                    issue(v.id(), "5000000.00"),
                    officer(p.province()),
                    () -> vouchers.add(v)));
        }
        for (Program p : voucherPrograms) {
            Voucher v = new Voucher("bench-x-" + p.id(), p);
            calls.add(post(
                    "seed",
                    "/api/v1/programs/" + p.id() + "/vouchers",
                    issue(v.id(), "10.00"),
                    officer(p.province()),
                    () -> {
                        synchronized (exhausted) {
                            exhausted.add(v);
                        }
                    }));
        }
        YearMonth start = currentMonth.minusMonths(2);
        for (int i = 0; i < grantCount; i++) {
            Program p = housingPrograms.get(i % housingPrograms.size());
            String grantId = "bench-g" + i;
            calls.add(post(
                    "seed",
                    "/api/v1/programs/" + p.id() + "/housing-grants",
                    "{\"grantId\":\"" + grantId
                            + "\",\"recipient\":{\"personRef\":\"bench-person-" + i + "\",\"category\":\"GRADUATE\"},"
                            + "\"startMonth\":\"" + start + "\",\"monthlyRent\":" + money("3000.00") + "}",
                    officer(p.province()),
                    () -> {
                        for (int m = 0; m < 3; m++) {
                            claimable.add(new Claim(grantId, p.province(), start.plusMonths(m)));
                        }
                    }));
        }
        return calls;
    }

    /** Redemptions that use up the small vouchers, so that later ones are refused as exhausted. */
    List<Call> exhaust() {
        List<Call> calls = new ArrayList<>();
        synchronized (exhausted) {
            for (Voucher v : exhausted) {
                calls.add(redemption(v, "seed"));
            }
        }
        return calls;
    }

    void shuffle(long seed) {
        List<Claim> claims = new ArrayList<>(claimable);
        Collections.shuffle(claims, new Random(seed));
        claimable.clear();
        claimable.addAll(claims);
    }

    // ---------------------------------------------------------------- the mix

    private int historyInMix;
    private int historyVouchers;
    private final Program historyProgram = new Program("big-p0", "CN-ZJ", false);

    /** Sends {@code percent} of the redemptions to the vouchers of a generated history's program. */
    void useHistory(int percent, int vouchers) {
        this.historyInMix = percent;
        this.historyVouchers = vouchers;
    }

    /** The next command of the mix. */
    Call next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int draw = random.nextInt(100);
        if (draw < 60) {
            if (historyInMix > 0 && random.nextInt(100) < historyInMix) {
                return historyRedemption(random.nextInt(historyVouchers));
            }
            return redemption(vouchers.get(random.nextInt(vouchers.size())), "redeem");
        }
        if (draw < 75) {
            Program p = voucherPrograms.get(random.nextInt(voucherPrograms.size()));
            Voucher v = new Voucher("bench-n" + sequence.incrementAndGet(), p);
            return post(
                    "issue",
                    "/api/v1/programs/" + p.id() + "/vouchers",
                    issue(v.id(), "1000.00"),
                    officer(p.province()),
                    () -> vouchers.add(v));
        }
        if (draw < 85) {
            Redemption r = unsettled.poll();
            if (r == null) {
                return redemption(vouchers.get(random.nextInt(vouchers.size())), "redeem");
            }
            return post(
                    "settle",
                    "/api/v1/vouchers/" + r.voucher().id() + "/redemptions/" + r.redemptionId() + "/settlement",
                    "{\"paymentRef\":\"pay-" + r.redemptionId() + "\"}",
                    officer(r.voucher().program().province()),
                    null);
        }
        if (draw < 95) {
            Claim c = claimable.poll();
            if (c == null) {
                return refusal(random);
            }
            return post(
                    "claim",
                    "/api/v1/housing-grants/" + c.grantId() + "/claims",
                    "{\"month\":\"" + c.month() + "\",\"rentPaid\":" + money("3000.00") + ",\"leaseRef\":\"lease-"
                            + c.grantId() + "\"}",
                    officer(c.province()),
                    null);
        }
        return refusal(random);
    }

    /** A read of the mix of reads: a program, a voucher or a province's budget. */
    Call read(boolean basic) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String auth = basic ? "Basic " + Base64.getEncoder().encodeToString("national:demo".getBytes()) : national;
        int draw = random.nextInt(3);
        if (draw == 0) {
            return get(
                    basic ? "basic" : "read-program",
                    "/api/v1/programs/"
                            + voucherPrograms
                                    .get(random.nextInt(voucherPrograms.size()))
                                    .id(),
                    auth);
        }
        if (draw == 1) {
            return get(
                    basic ? "basic" : "read-voucher",
                    "/api/v1/vouchers/"
                            + vouchers.get(random.nextInt(vouchers.size())).id(),
                    auth);
        }
        return get(
                basic ? "basic" : "read-budget",
                "/api/v1/provinces/" + PROVINCES[random.nextInt(PROVINCES.length)] + "/budget",
                auth);
    }

    /** A command the ledger must refuse with 422: a duplicate invoice or a redemption on an exhausted voucher. */
    private Call refusal(ThreadLocalRandom random) {
        if (random.nextBoolean() && !invoices.isEmpty()) {
            Invoice i = invoices.get(random.nextInt(invoices.size()));
            String path = "/api/v1/vouchers/" + i.voucher().id()
                    + (i.voucher().program().model() ? "/model-redemptions" : "/compute-redemptions");
            return post(
                    "refused",
                    path,
                    redemptionBody("r-dup-" + sequence.incrementAndGet(), i, i.voucher()),
                    officer(i.voucher().program().province()),
                    null);
        }
        Voucher v;
        synchronized (exhausted) {
            v = exhausted.get(random.nextInt(exhausted.size()));
        }
        return redemption(v, "refused");
    }

    private Call redemption(Voucher v, String kind) {
        long n = sequence.incrementAndGet();
        String provider = v.program().model() ? "bench-mv" + (n % MODEL_VENDORS) : "bench-cp" + (n % COMPUTE_PROVIDERS);
        Invoice invoice = new Invoice(v, provider, "inv-" + n, "k-" + v.id() + "-" + provider);
        String redemptionId = "r-" + n;
        String path =
                "/api/v1/vouchers/" + v.id() + (v.program().model() ? "/model-redemptions" : "/compute-redemptions");
        return post(
                kind,
                path,
                redemptionBody(redemptionId, invoice, v),
                officer(v.program().province()),
                () -> {
                    unsettled.add(new Redemption(v, redemptionId));
                    if (invoices.size() < 10_000) {
                        invoices.add(invoice);
                    }
                });
    }

    /** A redemption on a generated history's voucher (provider and contract as the generator bound them). */
    private Call historyRedemption(int voucher) {
        long n = sequence.incrementAndGet();
        String voucherId = "big-v" + voucher;
        return post(
                "redeem-history",
                "/api/v1/vouchers/" + voucherId + "/compute-redemptions",
                "{\"redemptionId\":\"r-" + n + "\",\"contractRef\":\"big-k-" + voucher + "\",\"invoiceRef\":\"inv-" + n
                        + "\",\"providerId\":\"big-cp0\",\"invoiceAmount\":" + money("100.00") + "}",
                officer(historyProgram.province()),
                null);
    }

    private static String redemptionBody(String redemptionId, Invoice invoice, Voucher v) {
        String common = "{\"redemptionId\":\"" + redemptionId + "\",\"contractRef\":\"" + invoice.contractRef()
                + "\",\"invoiceRef\":\"" + invoice.invoiceRef() + "\",\"providerId\":\"" + invoice.providerId()
                + "\",\"invoiceAmount\":" + money("100.00");
        if (v.program().model()) {
            return common + ",\"filingNo\":\"bench-model-"
                    + invoice.providerId().substring("bench-mv".length()) + "\",\"usage\":\"API_ACCESS\"}";
        }
        return common + ",\"gpuHours\":2.5}";
    }

    // ---------------------------------------------------------------- bodies

    private String issue(String voucherId, String faceValue) {
        String first17 = "91330100MA" + String.format("%07d", firms.incrementAndGet() % 10_000_000);
        String firm = first17 + Uscc.checkCharacter(first17);
        return "{\"voucherId\":\"" + voucherId + "\",\"beneficiary\":{\"id\":\"" + firm + "\",\"name\":\"Firm " + firm
                + "\",\"sector\":\"software\"},\"faceValue\":" + money(faceValue) + "}";
    }

    private static String voucherProgram(Program p, String city) {
        return "{\"programId\":\"" + p.id() + "\",\"name\":\"Benchmark vouchers " + p.id() + "\",\"kind\":\""
                + (p.model() ? "MODEL_VOUCHER" : "COMPUTE_VOUCHER") + "\",\"province\":\"" + p.province()
                + "\",\"city\":\"" + city + "\",\"currency\":\"CNY\",\"rules\":{\"coverageRatio\":\"0.30\","
                + "\"maxVoucherValue\":" + money("8000000.00") + ",\"capPerBeneficiaryPerYear\":" + money("8000000.00")
                + ",\"validityDays\":365,\"eligibleSectors\":[\"software\",\"healthcare\"],\"payee\":\"PROVIDER\"}}";
    }

    private static String housingProgram(Program p) {
        return "{\"programId\":\"" + p.id() + "\",\"name\":\"Benchmark housing " + p.id() + "\","
                + "\"kind\":\"HOUSING_SUBSIDY\",\"province\":\"" + p.province() + "\",\"city\":\"Zhuhai\","
                + "\"currency\":\"CNY\",\"rules\":{\"schedule\":[\"1.0\",\"0.7\",\"0.5\"],\"monthlyRentCap\":"
                + money("5000.00") + ",\"capPerRecipient\":" + money("120000.00") + ",\"claimWindowMonths\":3}}";
    }

    private static String appropriation(String programId) {
        return "{\"amount\":" + money("900000000000.00") + ",\"reference\":\"budget-" + programId + "\"}";
    }

    private static String provider(String providerId, String uscc, String kind) {
        return "{\"providerId\":\"" + providerId + "\",\"name\":\"Provider " + providerId + "\",\"id\":\"" + uscc
                + "\",\"kind\":\"" + kind + "\"}";
    }

    static String uscc(String prefix12, int n) {
        String first17 = prefix12 + String.format("%05d", n);
        return first17 + Uscc.checkCharacter(first17);
    }

    static String money(String amount) {
        return "{\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}";
    }

    private static Call post(String kind, String path, String body, String auth, Runnable onAccepted) {
        return new Call(kind, "POST", path, body, auth, onAccepted);
    }

    private static Call get(String kind, String path, String auth) {
        return new Call(kind, "GET", path, null, auth, null);
    }
}
