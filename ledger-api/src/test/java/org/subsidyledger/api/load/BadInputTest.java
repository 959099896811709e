package org.subsidyledger.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.load.LoadSupport.JSON;
import static org.subsidyledger.api.load.LoadSupport.appropriation;
import static org.subsidyledger.api.load.LoadSupport.assertProblem;
import static org.subsidyledger.api.load.LoadSupport.computeProgram;
import static org.subsidyledger.api.load.LoadSupport.expect;
import static org.subsidyledger.api.load.LoadSupport.housingProgram;
import static org.subsidyledger.api.load.LoadSupport.issue;
import static org.subsidyledger.api.load.LoadSupport.money;
import static org.subsidyledger.api.load.LoadSupport.provider;
import static org.subsidyledger.api.load.LoadSupport.redeem;
import static org.subsidyledger.api.load.LoadSupport.uscc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Node;
import org.subsidyledger.api.load.LoadSupport.Response;
import org.subsidyledger.api.support.MutableClock;

/**
 * Hundreds of generated hostile requests (fixed seed) against every POST endpoint of SPEC §3, each built from a valid
 * request by exactly one change that makes it invalid: truncated JSON, wrong types, bad amounts, unknown enum values,
 * unknown and duplicated keys, deep nesting, megabyte bodies, invalid UTF-8, path traversal in ids, control characters
 * and over-long text. Every answer must be a 4xx problem+json with one of SPEC §3's codes (never a 5xx), the log must
 * not grow by a single event, and the ledger must still be healthy and take valid commands afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final long SEED = 0xBAD_1_0_5EEDL;
    private static final int GENERATED = 560;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private Database db;
    private Node node;

    @BeforeAll
    void start() {
        db = Database.create("ledger_bad");
        node = Node.start(db, new MutableClock(LoadSupport.START));
        expect(
                node.post("/api/v1/providers", provider("bad-prov", uscc("91330100MA2C", 3), "COMPUTE", null)),
                201,
                "provider");
        expect(
                node.post("/api/v1/providers", provider("bad-vendor", uscc("91330100MA2C", 4), "MODEL_VENDOR", null)),
                201,
                "vendor");
        expect(
                node.post(
                        "/api/v1/models",
                        "{\"filingNo\":\"bad-model-1\",\"name\":\"Model one\"," + "\"vendorId\":\"bad-vendor\"}"),
                201,
                "model");
        expect(node.post("/api/v1/programs", computeProgram("bad-zj", "CN-ZJ", 365)), 201, "compute program");
        expect(node.post("/api/v1/programs/bad-zj/appropriations", appropriation("1000000.00", "l-1")), 200, "appr");
        expect(
                node.post(
                        "/api/v1/programs",
                        computeProgram("bad-mzj", "CN-ZJ", 365).replace("COMPUTE_VOUCHER", "MODEL_VOUCHER")),
                201,
                "model program");
        expect(node.post("/api/v1/programs/bad-mzj/appropriations", appropriation("1000000.00", "l-2")), 200, "appr");
        expect(node.post("/api/v1/programs", housingProgram("bad-gd", 3)), 201, "housing program");
        expect(node.post("/api/v1/programs/bad-gd/appropriations", appropriation("1000000.00", "l-3")), 200, "appr");
        expect(
                node.post("/api/v1/programs/bad-zj/vouchers", issue("bad-v", uscc("91330100MA2M", 1), "10000.00")),
                201,
                "voucher");
        expect(
                node.post("/api/v1/programs/bad-mzj/vouchers", issue("bad-mv", uscc("91330100MA2M", 2), "10000.00")),
                201,
                "model voucher");
        expect(
                node.post(
                        "/api/v1/vouchers/bad-v/compute-redemptions",
                        redeem("bad-r", "c-bad", "inv-bad", "bad-prov", "1000.00")),
                201,
                "redemption");
        expect(
                node.post(
                        "/api/v1/programs/bad-gd/housing-grants",
                        "{\"grantId\":\"bad-g\",\"recipient\":"
                                + "{\"personRef\":\"talent-9\",\"category\":\"GRADUATE\"},\"startMonth\":\"2026-03\",\"monthlyRent\":"
                                + money("3000.00") + "}"),
                201,
                "grant");
    }

    @AfterAll
    void stop() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    // ---------------------------------------------------------------- the endpoints and their fields

    enum Kind {
        MONEY,
        TEXT,
        ID,
        USCC,
        ENUM,
        MONTH,
        INT,
        RATIO,
        SECTORS,
        SCHEDULE,
        DECIMAL,
        OBJECT
    }

    /** A field of a request body by its dotted path; optional fields are never made invalid by leaving them out. */
    record Field(String path, Kind kind, boolean required) {}

    /** A POST endpoint: its path (ids in braces are path variables), a valid body for request n, its fields. */
    record Endpoint(String name, String path, IntFunction<String> validBody, List<Field> fields) {}

    private static Field req(String path, Kind kind) {
        return new Field(path, kind, true);
    }

    private static Field opt(String path, Kind kind) {
        return new Field(path, kind, false);
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(
                    "launch-voucher-program",
                    "/api/v1/programs",
                    n -> computeProgram("bad-new-" + n, "CN-ZJ", 365),
                    List.of(
                            opt("programId", Kind.ID),
                            req("name", Kind.TEXT),
                            req("kind", Kind.ENUM),
                            req("province", Kind.ENUM),
                            opt("city", Kind.TEXT),
                            req("currency", Kind.ENUM),
                            req("rules", Kind.OBJECT),
                            req("rules.coverageRatio", Kind.RATIO),
                            req("rules.maxVoucherValue", Kind.MONEY),
                            req("rules.capPerBeneficiaryPerYear", Kind.MONEY),
                            req("rules.validityDays", Kind.INT),
                            req("rules.eligibleSectors", Kind.SECTORS),
                            req("rules.payee", Kind.ENUM))),
            new Endpoint(
                    "launch-housing-program",
                    "/api/v1/programs",
                    n -> housingProgram("bad-newh-" + n, 3),
                    List.of(
                            opt("programId", Kind.ID),
                            req("name", Kind.TEXT),
                            req("kind", Kind.ENUM),
                            req("province", Kind.ENUM),
                            opt("city", Kind.TEXT),
                            req("currency", Kind.ENUM),
                            req("rules", Kind.OBJECT),
                            req("rules.schedule", Kind.SCHEDULE),
                            req("rules.monthlyRentCap", Kind.MONEY),
                            req("rules.capPerRecipient", Kind.MONEY),
                            opt("rules.claimWindowMonths", Kind.INT))),
            new Endpoint(
                    "appropriate",
                    "/api/v1/programs/{bad-zj}/appropriations",
                    n -> appropriation("1.00", "ref-" + n),
                    List.of(req("amount", Kind.MONEY), req("reference", Kind.TEXT))),
            new Endpoint(
                    "rescind",
                    "/api/v1/programs/{bad-zj}/rescissions",
                    n -> "{\"amount\":" + money("1.00") + ",\"reason\":\"reason " + n + "\"}",
                    List.of(req("amount", Kind.MONEY), req("reason", Kind.TEXT))),
            new Endpoint(
                    "close",
                    "/api/v1/programs/{bad-zj}/closure",
                    n -> "{\"reason\":\"closing " + n + "\"}",
                    List.of(req("reason", Kind.TEXT))),
            new Endpoint(
                    "accredit",
                    "/api/v1/providers",
                    n -> provider("bad-newp-" + n, uscc("91330100MA2N", n), "COMPUTE", "grp-" + n),
                    List.of(
                            req("providerId", Kind.ID),
                            req("name", Kind.TEXT),
                            req("id", Kind.USCC),
                            req("kind", Kind.ENUM),
                            opt("group", Kind.ID))),
            new Endpoint(
                    "withdraw",
                    "/api/v1/providers/{bad-prov}/withdrawal",
                    n -> "{\"reason\":\"withdrawn " + n + "\"}",
                    List.of(req("reason", Kind.TEXT))),
            new Endpoint(
                    "register-model",
                    "/api/v1/models",
                    n -> "{\"filingNo\":\"bad-newm-" + n + "\",\"name\":\"Model " + n
                            + "\",\"vendorId\":\"bad-vendor\"}",
                    List.of(req("filingNo", Kind.ID), req("name", Kind.TEXT), req("vendorId", Kind.ID))),
            new Endpoint(
                    "deregister-model",
                    "/api/v1/models/{bad-model-1}/deregistration",
                    n -> "{\"reason\":\"deregistered " + n + "\"}",
                    List.of(req("reason", Kind.TEXT))),
            new Endpoint(
                    "issue",
                    "/api/v1/programs/{bad-zj}/vouchers",
                    n -> "{\"voucherId\":\"bad-newv-" + n + "\",\"beneficiary\":{\"id\":\"" + uscc("91330100MA2P", n)
                            + "\",\"name\":\"Firm " + n + "\",\"sector\":\"software\",\"group\":\"g-" + n
                            + "\"},\"faceValue\":" + money("10.00") + "}",
                    List.of(
                            opt("voucherId", Kind.ID),
                            req("beneficiary", Kind.OBJECT),
                            req("beneficiary.id", Kind.USCC),
                            req("beneficiary.name", Kind.TEXT),
                            req("beneficiary.sector", Kind.ENUM),
                            opt("beneficiary.group", Kind.ID),
                            req("faceValue", Kind.MONEY))),
            new Endpoint(
                    "redeem-compute",
                    "/api/v1/vouchers/{bad-v}/compute-redemptions",
                    n -> "{\"redemptionId\":\"bad-newr-" + n + "\",\"contractRef\":\"c-bad\",\"invoiceRef\":\"inv-new-"
                            + n + "\",\"providerId\":\"bad-prov\",\"invoiceAmount\":" + money("10.00")
                            + ",\"gpuHours\":12.5}",
                    List.of(
                            opt("redemptionId", Kind.ID), req("contractRef", Kind.TEXT),
                            req("invoiceRef", Kind.TEXT), req("providerId", Kind.ID),
                            req("invoiceAmount", Kind.MONEY), opt("gpuHours", Kind.DECIMAL))),
            new Endpoint(
                    "redeem-model",
                    "/api/v1/vouchers/{bad-mv}/model-redemptions",
                    n -> "{\"redemptionId\":\"bad-newmr-" + n + "\",\"contractRef\":\"c-bad-m\",\"invoiceRef\":"
                            + "\"inv-newm-" + n + "\",\"providerId\":\"bad-vendor\",\"filingNo\":\"bad-model-1\","
                            + "\"invoiceAmount\":" + money("10.00") + ",\"usage\":\"API_ACCESS\"}",
                    List.of(
                            opt("redemptionId", Kind.ID),
                            req("contractRef", Kind.TEXT),
                            req("invoiceRef", Kind.TEXT),
                            req("providerId", Kind.ID),
                            req("filingNo", Kind.ID),
                            req("invoiceAmount", Kind.MONEY),
                            req("usage", Kind.ENUM))),
            new Endpoint(
                    "settle",
                    "/api/v1/vouchers/{bad-v}/redemptions/{bad-r}/settlement",
                    n -> "{\"paymentRef\":\"pay-" + n + "\"}",
                    List.of(req("paymentRef", Kind.TEXT))),
            new Endpoint(
                    "revoke",
                    "/api/v1/vouchers/{bad-v}/revocation",
                    n -> "{\"reason\":\"revoked " + n + "\"}",
                    List.of(req("reason", Kind.TEXT))),
            new Endpoint(
                    "grant",
                    "/api/v1/programs/{bad-gd}/housing-grants",
                    n -> "{\"grantId\":\"bad-newg-" + n + "\",\"recipient\":{\"personRef\":\"person-" + n
                            + "\",\"category\":\"FOUNDER\"},\"startMonth\":\"2026-03\",\"monthlyRent\":"
                            + money("100.00") + "}",
                    List.of(
                            opt("grantId", Kind.ID), req("recipient", Kind.OBJECT),
                            req("recipient.personRef", Kind.ID), req("recipient.category", Kind.ENUM),
                            req("startMonth", Kind.MONTH), req("monthlyRent", Kind.MONEY))),
            new Endpoint(
                    "claim",
                    "/api/v1/housing-grants/{bad-g}/claims",
                    n -> "{\"month\":\"2026-03\",\"rentPaid\":" + money("100.00") + ",\"leaseRef\":\"lease-" + n
                            + "\"}",
                    List.of(req("month", Kind.MONTH), req("rentPaid", Kind.MONEY), req("leaseRef", Kind.TEXT))),
            new Endpoint(
                    "terminate",
                    "/api/v1/housing-grants/{bad-g}/termination",
                    n -> "{\"reason\":\"moved away " + n + "\",\"effectiveMonth\":\"2026-06\"}",
                    List.of(req("reason", Kind.TEXT), req("effectiveMonth", Kind.MONTH))));

    // ---------------------------------------------------------------- bad values, each invalid for its kind

    /** A bad value: a JSON value, or raw JSON text that no mapper writes (NaN, 1e3, 100 levels of nesting). */
    record Bad(String label, JsonNode value, String raw) {
        static Bad of(String label, JsonNode value) {
            return new Bad(label, value, null);
        }

        static Bad raw(String label, String raw) {
            return new Bad(label, null, raw);
        }
    }

    private static ObjectNode moneyNode(String amount, String currency) {
        ObjectNode m = F.objectNode();
        if (amount != null) {
            m.put("amount", amount);
        }
        if (currency != null) {
            m.put("currency", currency);
        }
        return m;
    }

    private static List<Bad> badValues(Kind kind) {
        List<Bad> bad = new ArrayList<>();
        switch (kind) {
            case MONEY -> {
                for (String amount : List.of(
                        "-1.00",
                        "-0.01",
                        "NaN",
                        "Infinity",
                        "-Infinity",
                        "1e3",
                        "1E3",
                        "0",
                        "0.00",
                        "1.234",
                        "0.001",
                        "1000000000000000",
                        "9999999999999999.99",
                        "123456789012345678901234567890.00",
                        " 1.00",
                        "1.00 ",
                        "1,000.00",
                        "+1.00",
                        "0x10",
                        "",
                        ".5",
                        "5.",
                        "00.50",
                        "１００.００",
                        "١٠٠",
                        "1.00\u0000",
                        "1_000.00")) {
                    bad.add(Bad.of("amount \"" + amount.replace("\u0000", "\\0") + "\"", moneyNode(amount, "CNY")));
                }
                for (String raw : List.of(
                        "100.00",
                        "1e3",
                        "-1",
                        "NaN",
                        "Infinity",
                        "-Infinity",
                        "1E400",
                        "0.1",
                        "true",
                        "null",
                        "[\"1.00\"]",
                        "{\"value\":\"1.00\"}")) {
                    bad.add(Bad.raw("amount as " + raw, "{\"amount\":" + raw + ",\"currency\":\"CNY\"}"));
                }
                for (String currency : List.of("EUR", "cny", "", "CN", "RMB", "CNY ", "XXX")) {
                    bad.add(Bad.of("currency \"" + currency + "\"", moneyNode("1.00", currency)));
                }
                bad.add(Bad.of("no currency", moneyNode("1.00", null)));
                bad.add(Bad.of("no amount", moneyNode(null, "CNY")));
                bad.add(Bad.of("empty money", F.objectNode()));
                bad.add(Bad.of(
                        "money with an unknown field", moneyNode("1.00", "CNY").put("scale", 2)));
                bad.add(Bad.raw(
                        "money with a duplicated key",
                        "{\"amount\":\"1.00\",\"currency\":\"CNY\",\"amount\":\"1.00\"}"));
                bad.add(Bad.raw("money as a number", "1000"));
                bad.add(Bad.raw("money as a float", "1000.50"));
                bad.add(Bad.of("money as a string", F.textNode("1000.00 CNY")));
                bad.add(Bad.of("money as an array", F.arrayNode().add("1.00").add("CNY")));
                bad.add(Bad.raw("money as true", "true"));
            }
            case TEXT -> {
                bad.add(Bad.of("201 characters", F.textNode("t".repeat(201))));
                bad.add(Bad.of("201 CJK characters", F.textNode("算".repeat(201))));
                bad.add(Bad.of("empty text", F.textNode("")));
                bad.add(Bad.of("blank text", F.textNode("   ")));
                for (String control : List.of(
                        "\u0000",
                        "\u0007",
                        "\n",
                        "\r",
                        "\t",
                        "\u001b[31m",
                        "\u007f",
                        "\u0085",
                        "\u200b",
                        "\u202e",
                        "\ufeff",
                        "\ue000")) {
                    bad.add(Bad.of(
                            "text with U+" + String.format("%04X", (int) control.charAt(0)),
                            F.textNode("a" + control + "b")));
                }
                bad.add(Bad.raw("text with a lone surrogate", "\"a\\ud800b\""));
                bad.add(Bad.raw("text as a number", "12"));
                bad.add(Bad.raw("text as true", "true"));
                bad.add(Bad.of("text as an object", F.objectNode().put("text", "x")));
                bad.add(Bad.of("text as an array", F.arrayNode().add("x")));
            }
            case ID, USCC -> {
                // "." and "..": inside SPEC's id alphabet, but as a path segment they are traversal and the
                // resource could never be addressed (its Location normalises away)
                for (String id : List.of(
                        "../x",
                        "..",
                        ".",
                        "%2e%2e",
                        "..%2Fx",
                        "a/b",
                        "a\\b",
                        "a b",
                        "",
                        "x".repeat(65),
                        "x\u0000",
                        "ü",
                        "<script>",
                        "a;DROP TABLE x",
                        "a%00",
                        "\u200bid",
                        "a\nb")) {
                    bad.add(Bad.of("id \"" + id.replace("\u0000", "\\0") + "\"", F.textNode(id)));
                }
                bad.add(Bad.raw("id as a number", "7"));
                bad.add(Bad.of("id as an array", F.arrayNode().add("x")));
                bad.add(Bad.of("id as an object", F.objectNode().put("id", "x")));
                bad.add(Bad.raw("id as false", "false"));
                if (kind == Kind.USCC) {
                    String valid = uscc("91330100MA2Q", 1);
                    char wrong = valid.charAt(17) == '0' ? '1' : '0';
                    bad.add(Bad.of("USCC with a wrong check character", F.textNode(valid.substring(0, 17) + wrong)));
                    bad.add(Bad.of("USCC of 17 characters", F.textNode(valid.substring(0, 17))));
                    bad.add(Bad.of("USCC in lower case", F.textNode(valid.toLowerCase())));
                    bad.add(Bad.of("USCC with an I", F.textNode("91330100MA2I000011")));
                    bad.add(Bad.of("USCC of 19 characters", F.textNode(valid + "0")));
                }
            }
            case ENUM -> {
                for (String v : List.of(
                        "UNKNOWN",
                        "compute_voucher",
                        "",
                        " COMPUTE",
                        "CN-XX",
                        "cn-zj",
                        "EUR",
                        "Software",
                        "unknown-sector",
                        "api_access",
                        "graduate",
                        "COMPUTE\u0000")) {
                    bad.add(Bad.of("enum \"" + v.replace("\u0000", "\\0") + "\"", F.textNode(v)));
                }
                bad.add(Bad.raw("enum as a number", "0"));
                bad.add(Bad.raw("enum as 1", "1"));
                bad.add(Bad.of("enum as an array", F.arrayNode().add("COMPUTE")));
                bad.add(Bad.raw("enum as true", "true"));
            }
            case MONTH -> {
                for (String v : List.of(
                        "2026-13",
                        "2026-00",
                        "2026-7",
                        "26-07",
                        "2026/07",
                        "2026-07-01",
                        "",
                        "July 2026",
                        "٢٠٢٦-٠٧",
                        "2026-07 ",
                        "+2026-07",
                        "-2026-07")) {
                    bad.add(Bad.of("month \"" + v + "\"", F.textNode(v)));
                }
                bad.add(Bad.raw("month as a number", "202607"));
                bad.add(Bad.of(
                        "month as an object", F.objectNode().put("year", 2026).put("month", 7)));
                bad.add(Bad.of("month as an array", F.arrayNode().add(2026).add(7)));
            }
            case INT -> {
                bad.add(Bad.of("int as a string", F.textNode("365")));
                bad.add(Bad.raw("int with a fraction", "365.5"));
                bad.add(Bad.raw("int as 1e3", "1e3"));
                bad.add(Bad.raw("negative int", "-1"));
                bad.add(Bad.raw("int beyond 32 bits", "2147483648"));
                bad.add(Bad.raw("huge int", "99999999999999999999999999"));
                bad.add(Bad.raw("int 100000", "100000"));
                bad.add(Bad.raw("int as NaN", "NaN"));
                bad.add(Bad.raw("int as true", "true"));
                bad.add(Bad.of("int as an array", F.arrayNode().add(3)));
            }
            case RATIO -> {
                for (String v : List.of(
                        "0", "0.0", "0.0000", "1.5", "1.0001", "0.12345", "abc", "", "-0.3", "30%", ".3", "1e-1",
                        "NaN")) {
                    bad.add(Bad.of("ratio \"" + v + "\"", F.textNode(v)));
                }
                bad.add(Bad.raw("ratio as a number", "0.3"));
                bad.add(Bad.raw("ratio as NaN", "NaN"));
            }
            case SECTORS -> {
                bad.add(Bad.of("no sectors", F.arrayNode()));
                bad.add(Bad.of("unknown sector", F.arrayNode().add("astrology")));
                bad.add(Bad.of("sectors as a string", F.textNode("software")));
                bad.add(Bad.of("sector as a number", F.arrayNode().add(1)));
                bad.add(Bad.of("sector null", F.arrayNode().addNull()));
                bad.add(Bad.of("nested sectors", F.arrayNode().add(F.arrayNode().add("software"))));
            }
            case SCHEDULE -> {
                bad.add(Bad.of("empty schedule", F.arrayNode()));
                bad.add(Bad.of("rate 2.0", F.arrayNode().add("2.0")));
                bad.add(Bad.of("rate 0", F.arrayNode().add("0")));
                bad.add(Bad.of("rates as numbers", F.arrayNode().add(1.0).add(0.7)));
                bad.add(Bad.of("schedule as a string", F.textNode("1.0")));
                ArrayNode eleven = F.arrayNode();
                for (int i = 0; i < 11; i++) {
                    eleven.add("1.0");
                }
                bad.add(Bad.of("eleven years", eleven));
            }
            case DECIMAL -> {
                bad.add(Bad.of("decimal as a string", F.textNode("12")));
                bad.add(Bad.raw("negative decimal", "-1"));
                bad.add(Bad.raw("decimal with 5 places", "1.23456"));
                bad.add(Bad.raw("decimal 1e20", "1e20"));
                bad.add(Bad.raw("decimal NaN", "NaN"));
                bad.add(Bad.raw("decimal Infinity", "Infinity"));
                bad.add(Bad.raw("decimal true", "true"));
                bad.add(Bad.of("decimal as an array", F.arrayNode().add(1)));
            }
            case OBJECT -> {
                bad.add(Bad.of("object as a string", F.textNode("x")));
                bad.add(Bad.raw("object as a number", "1"));
                bad.add(Bad.of("object as an array", F.arrayNode().add(F.objectNode())));
                bad.add(Bad.of("empty object", F.objectNode()));
                bad.add(Bad.of("object with an unknown field", F.objectNode().put("unknown", 1)));
            }
            default -> throw new AssertionError(kind);
        }
        return bad;
    }

    // ---------------------------------------------------------------- one malformed request

    record Malformed(String label, String path, byte[] body, String contentType, Map<String, String> headers) {}

    /** The request generated as number n: one endpoint, one change that makes it invalid. */
    private static Malformed generate(int n, Random random) {
        Endpoint endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
        String path = resolve(endpoint.path(), -1, null);
        ObjectNode body = parse(endpoint.validBody().apply(n));
        String label = endpoint.name() + " #" + n + ": ";
        int choice = random.nextInt(100);
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(8) == 0) {
            headers.put("Idempotency-Key", "bad-key-" + n); // the idempotency filter must not change any of this
        }
        if (choice < 45) {
            // one field gets a bad value of its kind
            Field field = endpoint.fields().get(random.nextInt(endpoint.fields().size()));
            List<Bad> bads = badValues(field.kind());
            Bad bad = bads.get(random.nextInt(bads.size()));
            return json(label + field.path() + " = " + bad.label(), path, withValue(body, field.path(), bad), headers);
        }
        if (choice < 52) {
            // a required field missing, or null
            List<Field> required =
                    endpoint.fields().stream().filter(Field::required).toList();
            Field field = required.get(random.nextInt(required.size()));
            ObjectNode copy = body.deepCopy();
            ObjectNode parent = parentOf(copy, field.path());
            String leaf = leaf(field.path());
            if (random.nextBoolean()) {
                parent.remove(leaf);
                return json(label + "missing " + field.path(), path, copy.toString(), headers);
            }
            parent.putNull(leaf);
            return json(label + field.path() + " = null", path, copy.toString(), headers);
        }
        if (choice < 57) {
            // an unknown field, at the top or inside a nested object
            List<ObjectNode> objects = objectsIn(body);
            ObjectNode target = objects.get(random.nextInt(objects.size()));
            String name = List.of(
                            "unknown", "__proto__", "constructor", "extra", "Amount", "PROGRAMID", "$where", "reason ")
                    .get(random.nextInt(8));
            if (target.has(name)) {
                name = name + "_x";
            }
            target.set(name, random.nextBoolean() ? F.textNode("x") : F.numberNode(1));
            return json(label + "unknown field '" + name + "'", path, body.toString(), headers);
        }
        if (choice < 61) {
            // a key duplicated with the same value (a parser that keeps the last one would accept it)
            List<ObjectNode> objects = objectsIn(body);
            ObjectNode target = objects.get(random.nextInt(objects.size()));
            String key = target.fieldNames().next();
            String duplicate = "\"" + key + "\":" + target.get(key).toString();
            target.put("@@DUP@@", 0);
            return json(
                    label + "duplicated key '" + key + "'",
                    path,
                    body.toString().replace("\"@@DUP@@\":0", duplicate),
                    headers);
        }
        if (choice < 66) {
            // truncated JSON: every proper prefix of an object is invalid
            String text = body.toString();
            int cut = 1 + random.nextInt(text.length() - 1);
            return json(label + "truncated at " + cut, path, text.substring(0, cut), headers);
        }
        if (choice < 70) {
            // deep nesting, 100 levels, in place of a field or as the whole body
            Field field = endpoint.fields().get(random.nextInt(endpoint.fields().size()));
            String nested = random.nextBoolean()
                    ? "[".repeat(100) + "]".repeat(100)
                    : "{\"a\":".repeat(99) + "{}" + "}".repeat(99);
            if (random.nextBoolean()) {
                return json(
                        label + "100 levels in " + field.path(),
                        path,
                        withValue(body, field.path(), Bad.raw("nesting", nested)),
                        headers);
            }
            return json(label + "100 levels as the body", path, nested, headers);
        }
        if (choice < 75) {
            // not an object: an array or a scalar
            String text = List.of(
                            "[" + body + "]", "[]", "42", "\"" + endpoint.name() + "\"", "null", "true", "{}", "[{}]")
                    .get(random.nextInt(8));
            return json(
                    label + "body " + (text.length() > 20 ? text.substring(0, 20) + "…" : text), path, text, headers);
        }
        if (choice < 80) {
            // syntax that strict JSON does not have
            String text = body.toString();
            String broken = switch (random.nextInt(8)) {
                case 0 -> text + "x";
                case 1 -> text + "}";
                case 2 -> text + text;
                case 3 -> "/* comment */" + text;
                case 4 -> text.replace('"', '\'');
                case 5 -> text.replaceFirst("\"([A-Za-z]+)\":", "$1:");
                case 6 -> text.replaceFirst(",", ",,");
                default -> text.substring(0, text.length() - 1) + ",}";
            };
            return json(label + "broken syntax", path, broken, headers);
        }
        if (choice < 86) {
            // invalid UTF-8 inside a text, id or enum value
            byte[][] sequences = {
                {(byte) 0xC3, 0x28},
                {(byte) 0xFF},
                {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
                {(byte) 0xE2, (byte) 0x82},
                {(byte) 0xE9},
                {(byte) 0x80}
            };
            byte[] sequence = sequences[random.nextInt(sequences.length)];
            List<Field> texts = endpoint.fields().stream()
                    .filter(f -> f.kind() == Kind.TEXT || f.kind() == Kind.ID || f.kind() == Kind.ENUM)
                    .toList();
            Field field = texts.get(random.nextInt(texts.size()));
            ObjectNode copy = body.deepCopy();
            parentOf(copy, field.path()).put(leaf(field.path()), "a@@BYTES@@b");
            byte[] bytes = splice(copy.toString().getBytes(StandardCharsets.UTF_8), "@@BYTES@@", sequence);
            return new Malformed(
                    label + "invalid UTF-8 " + HEX.formatHex(sequence) + " in " + field.path(),
                    path,
                    bytes,
                    "application/json",
                    headers);
        }
        if (choice < 94) {
            // a hostile id in the path (with a valid body, so only the path can refuse it)
            if (!endpoint.path().contains("{")) {
                return json(label + "empty body", path, "", headers);
            }
            String id = List.of(
                            "..",
                            "../x",
                            "%2e%2e",
                            "%2E%2E",
                            ".%2e",
                            "%2e%2e%2fx",
                            "..%2Fx",
                            "..%5Cx",
                            "x%00",
                            "a%20b",
                            "%C3%BC",
                            "x".repeat(65),
                            "%0d%0aX-Injected:%201",
                            "%25",
                            "%7Bid%7D",
                            "%3Cscript%3E",
                            "a;b=c")
                    .get(random.nextInt(17));
            int variables = (int) endpoint.path().chars().filter(c -> c == '{').count();
            String hostile = resolve(endpoint.path(), random.nextInt(variables), id);
            return json(label + "path " + hostile, hostile, body.toString(), headers);
        }
        // the body is empty, blank, or a valid body behind an invalid Idempotency-Key
        return switch (random.nextInt(4)) {
            case 0 -> json(label + "empty body", path, "", headers);
            case 1 -> json(label + "blank body", path, "  \n ", headers);
            case 2 -> {
                headers.put("Idempotency-Key", "k".repeat(256));
                yield json(label + "valid body, 256-character Idempotency-Key", path, body.toString(), headers);
            }
            default -> {
                headers.put("Idempotency-Key", "key with spaces " + n);
                yield json(label + "valid body, Idempotency-Key with spaces", path, body.toString(), headers);
            }
        };
    }

    private static Malformed json(String label, String path, String body, Map<String, String> headers) {
        return new Malformed(label, path, body.getBytes(StandardCharsets.UTF_8), "application/json", headers);
    }

    /** The body with the value at a dotted path replaced (raw values are spliced into the serialized text). */
    private static String withValue(ObjectNode body, String dotted, Bad bad) {
        ObjectNode copy = body.deepCopy();
        ObjectNode parent = parentOf(copy, dotted);
        if (bad.raw() == null) {
            parent.set(leaf(dotted), bad.value());
            return copy.toString();
        }
        parent.put(leaf(dotted), "@@RAW@@");
        return copy.toString().replace("\"@@RAW@@\"", bad.raw());
    }

    private static ObjectNode parentOf(ObjectNode root, String dotted) {
        ObjectNode node = root;
        String[] parts = dotted.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        return node;
    }

    private static String leaf(String dotted) {
        return dotted.substring(dotted.lastIndexOf('.') + 1);
    }

    private static List<ObjectNode> objectsIn(ObjectNode root) {
        List<ObjectNode> objects = new ArrayList<>();
        objects.add(root);
        root.fields().forEachRemaining(e -> {
            if (e.getValue() instanceof ObjectNode child) {
                objects.addAll(objectsIn(child));
            }
        });
        return objects;
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("a base body of the generator is not JSON: " + json, e);
        }
    }

    /** The path with its variables filled in, variable {@code hostileIndex} replaced by {@code hostile}. */
    private static String resolve(String template, int hostileIndex, String hostile) {
        StringBuilder path = new StringBuilder();
        int variable = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                path.append(variable == hostileIndex ? hostile : template.substring(i + 1, end));
                variable++;
                i = end;
            } else {
                path.append(c);
            }
        }
        return path.toString();
    }

    private static byte[] splice(byte[] bytes, String marker, byte[] replacement) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(replacement);
        out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Requests sent on every run whatever the seed draws: megabyte bodies, odd content types, known traps. */
    private static List<Malformed> fixed() {
        List<Malformed> fixed = new ArrayList<>();
        String mega = "m".repeat(1024 * 1024);
        fixed.add(json("1 MB reason", "/api/v1/programs/bad-zj/closure", "{\"reason\":\"" + mega + "\"}", Map.of()));
        fixed.add(json(
                "1 MB unknown field",
                "/api/v1/vouchers/bad-v/revocation",
                "{\"reason\":\"ok\",\"padding\":\"" + mega + "\"}",
                Map.of()));
        fixed.add(json("1 MB of brackets", "/api/v1/programs", "[".repeat(1024 * 1024), Map.of()));
        fixed.add(json(
                "1 MB amount",
                "/api/v1/programs/bad-zj/appropriations",
                "{\"amount\":{\"amount\":\"" + "9".repeat(1024 * 1024) + "\",\"currency\":\"CNY\"},"
                        + "\"reference\":\"r\"}",
                Map.of()));
        fixed.add(json(
                "1 MB number",
                "/api/v1/programs/bad-zj/appropriations",
                "{\"amount\":" + "9".repeat(1024 * 1024) + ",\"reference\":\"r\"}",
                Map.of()));
        fixed.add(json(
                "1 MB of spaces inside the object",
                "/api/v1/vouchers/bad-v/revocation",
                "{\"reason\":" + " ".repeat(1024 * 1024) + "1}",
                Map.of()));
        fixed.add(json(
                "1 MB with an Idempotency-Key",
                "/api/v1/programs/bad-zj/closure",
                "{\"reason\":\"" + mega + "\"}",
                Map.of("Idempotency-Key", "mega-1")));
        for (String type : List.of(
                "text/plain",
                "application/xml",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x")) {
            fixed.add(new Malformed(
                    "content type " + type,
                    "/api/v1/programs/bad-zj/closure",
                    "reason=x".getBytes(StandardCharsets.UTF_8),
                    type,
                    Map.of()));
        }
        fixed.add(new Malformed(
                "no content type, not JSON",
                "/api/v1/vouchers/bad-v/revocation",
                "reason".getBytes(StandardCharsets.UTF_8),
                null,
                Map.of()));
        fixed.add(new Malformed(
                "UTF-16 body with a NUL in reason",
                "/api/v1/vouchers/bad-v/revocation",
                "{\"reason\":\"\u0000\"}".getBytes(StandardCharsets.UTF_16),
                "application/json",
                Map.of()));
        // ids that are dot segments: the resource's Location would normalise away
        fixed.add(json(
                "voucherId \"..\"",
                "/api/v1/programs/bad-zj/vouchers",
                issue("..", uscc("91330100MA2R", 1), "10.00"),
                Map.of()));
        fixed.add(json(
                "voucherId \".\"",
                "/api/v1/programs/bad-zj/vouchers",
                issue(".", uscc("91330100MA2R", 2), "10.00"),
                Map.of()));
        // overlong, surrogate and truncated UTF-8 (0xC0 0xAF is an overlong '/')
        byte[][] utf8 = {
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xC3, 0x28},
            {(byte) 0xFF}
        };
        for (byte[] sequence : utf8) {
            fixed.add(new Malformed(
                    "invalid UTF-8 " + HEX.formatHex(sequence) + " in reason",
                    "/api/v1/vouchers/bad-v/revocation",
                    splice("{\"reason\":\"a@@BYTES@@b\"}".getBytes(StandardCharsets.UTF_8), "@@BYTES@@", sequence),
                    "application/json",
                    Map.of()));
        }
        // encoded NUL, slash and backslash, and encoded dot segments in a path id
        for (String id : List.of("x%00", "..%2Fx", "%2e%2e%2fx", "..%5Cx", "%2e%2e", "%2e")) {
            fixed.add(json("path id " + id, "/api/v1/vouchers/" + id + "/revocation", "{\"reason\":\"r\"}", Map.of()));
        }
        return fixed;
    }

    @Test
    void hostileRequestsAreRefusedAsProblemsAndAppendNothing() {
        long before = db.eventCount();
        Random random = new Random(SEED);
        List<Malformed> requests = new ArrayList<>();
        for (int n = 0; n < GENERATED; n++) {
            requests.add(generate(n, random));
        }
        requests.addAll(fixed());

        Map<String, Integer> tally = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Malformed m : requests) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(node.uri(m.path())).POST(HttpRequest.BodyPublishers.ofByteArray(m.body()));
            if (m.contentType() != null) {
                request.header("Content-Type", m.contentType());
            }
            m.headers().forEach(request::header);
            Response response = node.send(request);
            try {
                String code = assertProblem(response, m.label());
                assertThat(response.status())
                        .as("a hostile request is a 4xx: %s", m.label())
                        .isBetween(400, 499);
                tally.merge(response.status() + " " + code, 1, Integer::sum);
            } catch (AssertionError e) {
                failures.add(m.label() + " -> " + response);
            }
        }
        System.out.println("bad input: " + requests.size() + " requests, " + tally);
        failures.forEach(f -> System.out.println("BAD INPUT FAILURE: " + f));
        assertThat(requests).hasSizeGreaterThanOrEqualTo(500);
        assertThat(failures)
                .as("requests not answered as a 4xx problem+json with a SPEC code")
                .isEmpty();
        assertThat(db.eventCount()).as("events appended by hostile requests").isEqualTo(before);

        // still healthy, and a valid command still works
        Response health = node.get("/actuator/health");
        assertThat(health.status()).as("health: %s", health).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        JsonNode program = expect(
                node.post("/api/v1/programs/bad-zj/appropriations", appropriation("1.00", "after the storm")),
                200,
                "a valid appropriation");
        assertThat(program.get("figures").get("appropriated").asText()).isEqualTo("1000001.00");
        expect(
                node.post(
                        "/api/v1/vouchers/bad-v/compute-redemptions",
                        redeem("bad-after", "c-bad", "inv-after", "bad-prov", "100.00")),
                201,
                "a valid redemption");
        assertThat(db.eventCount()).isEqualTo(before + 2);
    }
}
