package org.subsidyledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;

/**
 * SPEC §9 and §11 over HTTP: every endpoint × every kind of caller (nobody, national admin, auditor, an officer of the
 * resource's province, an officer of another province), with the precedence 401, 403, 400, 404; bearer tokens signed
 * with a key pair made here; the login throttle; the production profile's refusal of the demo users. Every refused
 * call leaves the event store as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityMatrixTest {
    static final Instant START = Instant.parse("2026-08-14T02:00:00Z");
    static final String API = "/api/v1";
    static final String ISSUER = "https://id.mof.example.cn";
    static final String AUDIENCE = "subsidy-ledger";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDirectory;

    private final AtomicInteger sequence = new AtomicInteger();
    private ConfigurableApplicationContext context;
    private JdbcTemplate jdbc;
    private HttpClient http;
    private String base;
    private KeyPair keys;
    private KeyPair otherKeys;
    /** The national admin as a bearer token: fixtures are built without a BCrypt check per request. */
    private String nationalBearer;

    private Fixture shared;

    // ================================================================ lifecycle

    @BeforeAll
    void startLedger() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        otherKeys = generator.generateKeyPair();
        Path pem = dataDirectory.resolve("jwt-public.pem");
        Files.writeString(
                pem,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(keys.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n",
                StandardCharsets.US_ASCII);

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(
                "spring.datasource.url",
                "jdbc:h2:file:" + dataDirectory.resolve("ledger").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000");
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("ledger.expiry.enabled", "false");
        properties.put("ledger.kafka.enabled", "false");
        properties.put("spring.main.banner-mode", "off");
        properties.put("ledger.security.jwt.public-key", pem.toAbsolutePath().toString());
        properties.put("ledger.security.jwt.issuer", ISSUER);
        properties.put("ledger.security.jwt.audience", AUDIENCE);
        String[] arguments = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        Clock clock = Clock.fixed(START, ZoneOffset.UTC);
        context = new SpringApplicationBuilder(LedgerApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments);
        jdbc = context.getBean(JdbcTemplate.class);
        base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        nationalBearer = "Bearer "
                + token(
                        keys,
                        new JWTClaimsSet.Builder()
                                .subject("fixtures")
                                .claim("role", "NATIONAL_ADMIN")
                                .issueTime(Date.from(Instant.now()))
                                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(2))))
                                .issuer(ISSUER)
                                .audience(AUDIENCE));
    }

    @AfterAll
    void stopLedger() {
        if (context != null) {
            context.close();
        }
    }

    // ================================================================ the matrix

    /** Who calls. OWN is an officer of the resource's province, OTHER an officer of another province. */
    enum Caller {
        NONE,
        NATIONAL,
        AUDITOR,
        OWN,
        OTHER
    }

    /** The resources a call needs, fresh for each call so that allowed calls succeed. */
    record Fixture(
            String zjProgram,
            String zjVoucher,
            String zjRedemption,
            String provider,
            String vendor,
            String modelNo,
            String modelVoucher,
            String gdProgram,
            String gdGrant,
            String zjRequest) {}

    /** A call: its method, how to build its path and body from a fixture, the province of its resource. */
    record Endpoint(
            String name,
            String method,
            Function<Fixture, String> path,
            Function<Fixture, String> body,
            String province,
            boolean registry,
            int success,
            boolean admin) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Endpoint> endpoints() {
        List<Endpoint> e = new ArrayList<>();
        e.add(post(
                "launch",
                f -> "/programs",
                f -> voucherProgramJson("zj-new-" + f.zjProgram(), "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou"),
                "CN-ZJ",
                201));
        e.add(post(
                "appropriate",
                f -> "/programs/" + f.zjProgram() + "/appropriations",
                f -> appropriationJson("1000.00", "top-up"),
                "CN-ZJ",
                200));
        e.add(post(
                "rescind",
                f -> "/programs/" + f.zjProgram() + "/rescissions",
                f -> "{\"amount\": " + money("10.00") + ", \"reason\": \"cut\"}",
                "CN-ZJ",
                200));
        e.add(post(
                "close",
                f -> "/programs/" + f.zjProgram() + "/closure",
                f -> "{\"reason\": \"measure ended\"}",
                "CN-ZJ",
                200));
        e.add(post(
                "issue",
                f -> "/programs/" + f.zjProgram() + "/vouchers",
                f -> issueJson("v-new-" + f.zjVoucher(), usccOf(f.zjVoucher().hashCode() & 0xfffffff), "1000.00"),
                "CN-ZJ",
                201));
        e.add(post(
                "computeRedemption",
                f -> "/vouchers/" + f.zjVoucher() + "/compute-redemptions",
                f -> computeRedemptionJson("r-new-" + f.zjVoucher(), f.provider(), "100.00"),
                "CN-ZJ",
                201));
        e.add(post(
                "modelRedemption",
                f -> "/vouchers/" + f.modelVoucher() + "/model-redemptions",
                f -> modelRedemptionJson("rm-new-" + f.modelVoucher(), f.vendor(), f.modelNo(), "100.00"),
                "CN-ZJ",
                201));
        e.add(post(
                "settle",
                f -> "/vouchers/" + f.zjVoucher() + "/redemptions/" + f.zjRedemption() + "/settlement",
                f -> "{\"paymentRef\": \"PAY-1\"}",
                "CN-ZJ",
                200));
        e.add(post(
                "revoke",
                f -> "/vouchers/" + f.zjVoucher() + "/revocation",
                f -> "{\"reason\": \"left\"}",
                "CN-ZJ",
                200));
        e.add(post(
                "grant",
                f -> "/programs/" + f.gdProgram() + "/housing-grants",
                f -> grantJson("g-new-" + f.gdGrant(), "2026-08", "4000.00"),
                "CN-GD",
                201));
        e.add(post(
                "claim",
                f -> "/housing-grants/" + f.gdGrant() + "/claims",
                // A lease of the grant's own: a (lease, month) is paid once nationally.
                f -> "{\"month\": \"2026-08\", \"rentPaid\": " + money("2500.00") + ", \"leaseRef\": \"lease-"
                        + f.gdGrant() + "\"}",
                "CN-GD",
                200));
        e.add(post(
                "terminate",
                f -> "/housing-grants/" + f.gdGrant() + "/termination",
                f -> "{\"reason\": \"moved away\", \"effectiveMonth\": \"2026-09\"}",
                "CN-GD",
                200));
        e.add(post("approve", f -> "/approvals/" + f.zjRequest() + "/approval", f -> "{}", "CN-ZJ", 200));
        e.add(post(
                "reject",
                f -> "/approvals/" + f.zjRequest() + "/rejection",
                f -> "{\"reason\": \"not now\"}",
                "CN-ZJ",
                200));
        e.add(registry(
                "accredit",
                f -> "/providers",
                f -> accreditJson(
                        "p-new-" + f.provider(), "COMPUTE", usccOf((f.provider().hashCode() & 0xfffffff) + 1)),
                201));
        e.add(registry(
                "withdraw", f -> "/providers/" + f.provider() + "/withdrawal", f -> "{\"reason\": \"lapsed\"}", 200));
        e.add(registry(
                "registerModel",
                f -> "/models",
                f -> "{\"filingNo\": \"new-" + f.modelNo() + "\", \"name\": \"GLM\", \"vendorId\": \"" + f.vendor()
                        + "\"}",
                201));
        e.add(registry(
                "deregisterModel",
                f -> "/models/" + f.modelNo() + "/deregistration",
                f -> "{\"reason\": \"withdrawn\"}",
                200));
        e.add(get("getProgram", f -> "/programs/" + f.zjProgram(), "CN-ZJ"));
        e.add(get("getVoucher", f -> "/vouchers/" + f.zjVoucher(), "CN-ZJ"));
        e.add(get("getRedemption", f -> "/vouchers/" + f.zjVoucher() + "/redemptions/" + f.zjRedemption(), "CN-ZJ"));
        e.add(get("getGrant", f -> "/housing-grants/" + f.gdGrant(), "CN-GD"));
        e.add(get("getProvider", f -> "/providers/" + f.provider(), null));
        e.add(get("getModel", f -> "/models/" + f.modelNo(), null));
        e.add(get("provinces", f -> "/provinces", null));
        e.add(get("provinceBudget", f -> "/provinces/CN-ZJ/budget", "CN-ZJ"));
        e.add(get("programsOfProvince", f -> "/programs?province=CN-ZJ", "CN-ZJ"));
        e.add(get("alertsOfProvince", f -> "/alerts?province=CN-ZJ", "CN-ZJ"));
        e.add(get("approvalsOfProvince", f -> "/approvals?province=CN-ZJ", "CN-ZJ"));
        e.add(get("getApproval", f -> "/approvals/" + f.zjRequest(), "CN-ZJ"));
        // the audit reads are national, like the registries: officers of any province are refused
        e.add(new Endpoint("auditEvents", "GET", f -> "/audit/events?limit=5", f -> null, null, true, 200, false));
        e.add(new Endpoint("auditVerify", "GET", f -> "/audit/verify", f -> null, null, true, 200, false));
        // replay-and-compare appends nothing: auditors may run it
        e.add(new Endpoint("auditReplay", "POST", f -> "/audit/replays", f -> "{}", null, true, 200, false));
        e.add(admin("projections", "GET", f -> "/admin/projections", 200));
        e.add(admin("replayProjection", "POST", f -> "/admin/projections/budget/replay", 202));
        return e;
    }

    private static Endpoint post(
            String name, Function<Fixture, String> path, Function<Fixture, String> body, String province, int success) {
        return new Endpoint(name, "POST", path, body, province, false, success, false);
    }

    private static Endpoint registry(
            String name, Function<Fixture, String> path, Function<Fixture, String> body, int success) {
        return new Endpoint(name, "POST", path, body, null, true, success, false);
    }

    private static Endpoint get(String name, Function<Fixture, String> path, String province) {
        return new Endpoint(name, "GET", path, f -> null, province, false, 200, false);
    }

    /** Operating the ledger (projections and their replay): the national admin only, not even the auditor. */
    private static Endpoint admin(String name, String method, Function<Fixture, String> path, int success) {
        return new Endpoint(name, method, path, f -> null, null, false, success, true);
    }

    static Stream<Arguments> matrix() {
        return endpoints().stream().flatMap(e -> Stream.of(Caller.values()).map(c -> Arguments.of(e, c)));
    }

    /** What SPEC §9/§11 say the call answers. */
    static int expected(Endpoint e, Caller caller) {
        return switch (caller) {
            case NONE -> 401;
            case NATIONAL -> e.success();
            case AUDITOR ->
                e.admin() ? 403 : "GET".equals(e.method()) || e.name().startsWith("audit") ? e.success() : 403;
            case OWN, OTHER -> {
                if (e.registry() || e.admin()) {
                    yield 403;
                }
                if (e.province() == null || caller == Caller.OWN) {
                    yield e.success();
                }
                yield "launch".equals(e.name()) ? 403 : 404;
            }
        };
    }

    static String user(Endpoint e, Caller caller) {
        String own = e.province() == null ? "CN-ZJ" : e.province();
        return switch (caller) {
            case NONE -> null;
            case NATIONAL -> "national";
            case AUDITOR -> "auditor";
            case OWN -> "officer-" + own.toLowerCase();
            case OTHER -> "CN-BJ".equals(own) ? "officer-cn-sh" : "officer-cn-bj";
        };
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void everyEndpointAnswersEveryCallerAsSpecified(Endpoint endpoint, Caller caller) throws Exception {
        int expected = expected(endpoint, caller);
        // a call that changes the ledger gets resources of its own; refusals and reads share one set
        Fixture f = "POST".equals(endpoint.method()) && expected < 300 ? fixture() : shared();
        String path = API + endpoint.path().apply(f);
        String body = endpoint.body().apply(f);
        String user = user(endpoint, caller);

        long before = eventCount();
        Reply reply = send(endpoint.method(), path, body, user == null ? null : basic(user));
        assertThat(reply.status())
                .as("%s as %s (%s): %s", endpoint, caller, user, reply)
                .isEqualTo(expected);
        if (expected >= 400) {
            assertThat(reply.contentType()).as("%s", reply).startsWith("application/problem+json");
            String code = switch (expected) {
                case 401 -> "UNAUTHENTICATED";
                case 403 -> "FORBIDDEN";
                default -> "NOT_FOUND";
            };
            assertThat(reply.json().path("code").asText()).as("%s", reply).isEqualTo(code);
            assertThat(eventCount())
                    .as("no event appended by a refused %s as %s", endpoint, caller)
                    .isEqualTo(before);
        }
        if (expected == 401) {
            assertThat(reply.headers().firstValue("WWW-Authenticate"))
                    .as("%s", reply)
                    .isPresent();
        }
        if ("provinces".equals(endpoint.name()) && (caller == Caller.OWN || caller == Caller.OTHER)) {
            String province = "officer-cn-zj".equals(user) ? "CN-ZJ" : "CN-BJ";
            for (JsonNode p : reply.json().path("provinces")) {
                assertThat(p.path("province").asText())
                        .as("%s sees %s", user, reply)
                        .isEqualTo(province);
            }
        }
    }

    /**
     * Operational metrics for scraping — each event processor's lag among them — are for national administrators and
     * auditors; health stays public.
     */
    @Test
    void metricsAreScrapedByAuditorsAndNationalAdminsOnly() throws Exception {
        Reply scrape = send("GET", "/actuator/prometheus", null, basic("auditor"));
        assertThat(scrape.status()).as("%s", scrape).isEqualTo(200);
        assertThat(scrape.body())
                .contains("ledger_processor_lag")
                .contains("processor=\"budget\"")
                .contains("processor=\"alerts\"");
        assertThat(send("GET", "/actuator/prometheus", null, basic("national")).status())
                .isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null, basic("officer-cn-zj"))
                        .status())
                .isEqualTo(403);
        assertThat(send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(401);
        assertThat(send("GET", "/actuator/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void eventMetadataRecordsThePrincipalAndTheirProvince() throws Exception {
        String programId = uid("zj-meta");
        long last = lastGlobalIndex();
        expect(
                201,
                send(
                        "POST",
                        API + "/programs",
                        voucherProgramJson(programId, "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou"),
                        basic("officer-cn-zj")));
        List<JsonNode> metadata = metadataSince(last);
        assertThat(metadata).isNotEmpty();
        for (JsonNode meta : metadata) {
            assertThat(meta.path("principal").asText()).as("%s", meta).isEqualTo("officer-cn-zj");
            assertThat(meta.path("principalProvince").asText()).as("%s", meta).isEqualTo("CN-ZJ");
        }

        last = lastGlobalIndex();
        expect(
                200,
                send(
                        "POST",
                        API + "/programs/" + programId + "/appropriations",
                        appropriationJson("5.00", "national top-up"),
                        basic("national")));
        metadata = metadataSince(last);
        assertThat(metadata).isNotEmpty();
        for (JsonNode meta : metadata) {
            assertThat(meta.path("principal").asText()).as("%s", meta).isEqualTo("national");
            assertThat(meta.path("principalProvince").isMissingNode()
                            || meta.path("principalProvince").isNull())
                    .as("a national admin has no province: %s", meta)
                    .isTrue();
        }
    }

    // ================================================================ bearer tokens

    @Test
    void aValidNationalTokenIsLetIn() throws Exception {
        String token = token(keys, claims("nat-jwt").claim("role", "NATIONAL_ADMIN"));
        Reply reply = send("GET", API + "/provinces", null, "Bearer " + token);
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);

        String programId = uid("zj-jwt");
        long last = lastGlobalIndex();
        expect(
                201,
                send(
                        "POST",
                        API + "/programs",
                        voucherProgramJson(programId, "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou"),
                        "Bearer " + token(keys, claims("nat-jwt").claim("roles", List.of("NATIONAL_ADMIN")))));
        assertThat(metadataSince(last))
                .allSatisfy(meta -> assertThat(meta.path("principal").asText()).isEqualTo("nat-jwt"));
    }

    @Test
    void aTokenFromAnotherIssuerOrForAnotherAudienceIs401() throws Exception {
        // the same key, the same role: only the issuer or the audience differs, or the claim is missing
        JWTClaimsSet.Builder otherIssuer =
                claims("nat-other-iss").claim("role", "NATIONAL_ADMIN").issuer("https://id.other-app.example.cn");
        JWTClaimsSet.Builder otherAudience = claims("nat-other-aud")
                .claim("role", "NATIONAL_ADMIN")
                .audience(List.of("payroll", "subsidy-ledger-staging"));
        JWTClaimsSet.Builder noIssuer =
                claims("nat-no-iss").claim("role", "NATIONAL_ADMIN").issuer(null);
        JWTClaimsSet.Builder noAudience =
                claims("nat-no-aud").claim("role", "NATIONAL_ADMIN").audience(List.of());
        long before = eventCount();
        for (JWTClaimsSet.Builder claims : List.of(otherIssuer, otherAudience, noIssuer, noAudience)) {
            String bearer = "Bearer " + token(keys, claims);
            assertRefused401(send("GET", API + "/provinces", null, bearer));
            assertRefused401(send(
                    "POST",
                    API + "/programs",
                    voucherProgramJson(uid("zj-aud"), "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou"),
                    bearer));
        }
        assertThat(eventCount())
                .as("nothing appended for a token of another issuer or audience")
                .isEqualTo(before);
        // an audience list that names this ledger among others is this ledger's
        String shared = "Bearer "
                + token(
                        keys,
                        claims("nat-shared-aud")
                                .claim("role", "NATIONAL_ADMIN")
                                .audience(List.of("payroll", AUDIENCE)));
        assertThat(send("GET", API + "/provinces", null, shared).status()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        JWTClaimsSet.Builder claims = claims("late")
                .claim("role", "NATIONAL_ADMIN")
                .issueTime(Date.from(Instant.now().minus(Duration.ofHours(3))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofHours(2))));
        assertRefused401(send("GET", API + "/provinces", null, "Bearer " + token(keys, claims)));
    }

    @Test
    void aTokenSignedWithAnotherKeyIs401() throws Exception {
        assertRefused401(send(
                "GET",
                API + "/provinces",
                null,
                "Bearer " + token(otherKeys, claims("forger").claim("role", "NATIONAL_ADMIN"))));
    }

    @Test
    void aTokenWithoutARoleIs401() throws Exception {
        assertRefused401(send("GET", API + "/provinces", null, "Bearer " + token(keys, claims("nobody"))));
        assertRefused401(send(
                "GET",
                API + "/provinces",
                null,
                "Bearer " + token(keys, claims("nobody").claim("role", "SUPERUSER"))));
    }

    @Test
    void anOfficerTokenWithoutAProvinceIs401() throws Exception {
        long before = eventCount();
        assertRefused401(send(
                "POST",
                API + "/programs",
                voucherProgramJson(uid("zj-noprov"), "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou"),
                "Bearer " + token(keys, claims("officer-x").claim("role", "PROVINCE_OFFICER"))));
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aGuangdongOfficerTokenDoesNotSeeAZhejiangProgram() throws Exception {
        Fixture f = fixture();
        String gd = "Bearer "
                + token(keys, claims("gd-jwt").claim("role", "PROVINCE_OFFICER").claim("province", "CN-GD"));
        Reply reply = send("GET", API + "/programs/" + f.zjProgram(), null, gd);
        assertThat(reply.status()).as("%s", reply).isEqualTo(404);
        assertThat(reply.json().path("code").asText()).isEqualTo("NOT_FOUND");
        long before = eventCount();
        reply = send(
                "POST",
                API + "/programs/" + f.zjProgram() + "/appropriations",
                appropriationJson("1.00", "foreign"),
                gd);
        assertThat(reply.status()).as("%s", reply).isEqualTo(404);
        assertThat(eventCount()).isEqualTo(before);
        // and their own province's grant is theirs
        assertThat(send("GET", API + "/housing-grants/" + f.gdGrant(), null, gd).status())
                .isEqualTo(200);
    }

    private void assertRefused401(Reply reply) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(401);
        assertThat(reply.contentType()).as("%s", reply).startsWith("application/problem+json");
        assertThat(reply.json().path("code").asText()).as("%s", reply).isEqualTo("UNAUTHENTICATED");
    }

    /** Claims of a token this ledger accepts: its issuer, its audience, valid for ten minutes. */
    private static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .issuer(ISSUER)
                .audience(AUDIENCE);
    }

    private static String token(KeyPair pair, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims.build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) pair.getPrivate()));
        return jwt.serialize();
    }

    // ================================================================ throttle, production profile

    @Test
    void tenWrongPasswordsLockTheUserOutEvenWithTheRightOne() throws Exception {
        String user = "officer-cn-ha";
        for (int i = 0; i < 10; i++) {
            assertRefused401(send("GET", API + "/provinces", null, basic(user, "wrong-" + i)));
        }
        Reply locked = send("GET", API + "/provinces", null, basic(user, "demo"));
        assertRefused401(locked);
        // another user is not affected
        assertThat(send("GET", API + "/provinces", null, basic("officer-cn-sh")).status())
                .isEqualTo(200);
    }

    @Test
    void theProductionProfileRefusesToStartWithTheDemoUsers() {
        String[] arguments = {
            "--spring.profiles.active=production",
            "--spring.datasource.url=jdbc:h2:file:"
                    + dataDirectory.resolve("production").toAbsolutePath()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--ledger.expiry.enabled=false",
            "--ledger.kafka.enabled=false",
            "--spring.main.banner-mode=off",
            "--ledger.security.demo-users=true",
            "--ledger.security.jwt.public-key="
                    + dataDirectory.resolve("jwt-public.pem").toAbsolutePath(),
            "--ledger.security.jwt.issuer=" + ISSUER,
            "--ledger.security.jwt.audience=" + AUDIENCE
        };
        assertStartRefused(arguments, "demo users");
    }

    @Test
    void theProductionProfileRefusesAPublicKeyWithoutIssuerAndAudience() {
        for (String missing : List.of("issuer", "audience")) {
            String[] arguments = {
                "--spring.profiles.active=production",
                "--spring.datasource.url=jdbc:h2:file:"
                        + dataDirectory.resolve("production-" + missing).toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--ledger.expiry.enabled=false",
                "--ledger.kafka.enabled=false",
                "--spring.main.banner-mode=off",
                "--ledger.security.demo-users=false",
                "--ledger.security.jwt.public-key="
                        + dataDirectory.resolve("jwt-public.pem").toAbsolutePath(),
                missing.equals("issuer")
                        ? "--ledger.security.jwt.audience=" + AUDIENCE
                        : "--ledger.security.jwt.issuer=" + ISSUER
            };
            assertStartRefused(arguments, "ledger.security.jwt.issuer and ledger.security.jwt.audience");
        }
    }

    /** Starting the ledger with these arguments fails, for a reason whose message contains {@code reason}. */
    private static void assertStartRefused(String[] arguments, String reason) {
        assertThatThrownBy(() -> {
                    ConfigurableApplicationContext production =
                            new SpringApplicationBuilder(LedgerApplication.class).run(arguments);
                    production.close();
                })
                .satisfies(e -> {
                    Throwable t = e;
                    boolean found = false;
                    while (t != null) {
                        if (String.valueOf(t.getMessage()).contains(reason)) {
                            found = true;
                        }
                        t = t.getCause();
                    }
                    assertThat(found).as("refused for %s: %s", reason, e).isTrue();
                });
    }

    @Test
    void theProductionProfileStartsWithBearerTokensOnlyAndRefusesBasic() throws Exception {
        String[] arguments = {
            "--spring.profiles.active=production",
            "--spring.datasource.url=jdbc:h2:file:"
                    + dataDirectory.resolve("production-jwt").toAbsolutePath()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--ledger.expiry.enabled=false",
            "--ledger.kafka.enabled=false",
            "--spring.main.banner-mode=off",
            "--ledger.security.demo-users=false",
            "--ledger.security.jwt.public-key="
                    + dataDirectory.resolve("jwt-public.pem").toAbsolutePath(),
            "--ledger.security.jwt.issuer=" + ISSUER,
            "--ledger.security.jwt.audience=" + AUDIENCE
        };
        try (ConfigurableApplicationContext production =
                new SpringApplicationBuilder(LedgerApplication.class).run(arguments)) {
            String saved = base;
            base = "http://127.0.0.1:" + production.getEnvironment().getRequiredProperty("local.server.port");
            try {
                assertThat(send("GET", API + "/provinces", null, nationalBearer).status())
                        .isEqualTo(200);
                assertRefused401(send("GET", API + "/provinces", null, basic("national", "demo")));
            } finally {
                base = saved;
            }
        }
    }

    // ================================================================ fixtures

    synchronized Fixture shared() {
        if (shared == null) {
            shared = fixture();
        }
        return shared;
    }

    /** Fresh resources, made by the national admin. */
    Fixture fixture() {
        String national = nationalBearer;
        String zjProgram = uid("zj-compute");
        expect(
                201,
                send(
                        "POST",
                        API + "/programs",
                        voucherProgramJson(zjProgram, "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou"),
                        national));
        expect(
                200,
                send(
                        "POST",
                        API + "/programs/" + zjProgram + "/appropriations",
                        appropriationJson("1000000.00", "pool"),
                        national));
        String provider = uid("prov");
        expect(201, send("POST", API + "/providers", accreditJson(provider, "COMPUTE", uscc()), national));
        String vendor = uid("vendor");
        expect(201, send("POST", API + "/providers", accreditJson(vendor, "MODEL_VENDOR", uscc()), national));
        String modelNo = uid("Zhejiang-WangXin");
        expect(
                201,
                send(
                        "POST",
                        API + "/models",
                        "{\"filingNo\": \"" + modelNo + "\", \"name\": \"GLM\", \"vendorId\": \"" + vendor + "\"}",
                        national));
        String zjVoucher = uid("v");
        expect(
                201,
                send(
                        "POST",
                        API + "/programs/" + zjProgram + "/vouchers",
                        issueJson(zjVoucher, uscc(), "10000.00"),
                        national));
        String redemption = uid("r");
        expect(
                201,
                send(
                        "POST",
                        API + "/vouchers/" + zjVoucher + "/compute-redemptions",
                        computeRedemptionJson(redemption, provider, "100.00"),
                        national));
        String modelProgram = uid("zj-model");
        expect(
                201,
                send(
                        "POST",
                        API + "/programs",
                        voucherProgramJson(modelProgram, "MODEL_VOUCHER", "CN-ZJ", "Hangzhou"),
                        national));
        expect(
                200,
                send(
                        "POST",
                        API + "/programs/" + modelProgram + "/appropriations",
                        appropriationJson("1000000.00", "pool"),
                        national));
        String modelVoucher = uid("vm");
        expect(
                201,
                send(
                        "POST",
                        API + "/programs/" + modelProgram + "/vouchers",
                        issueJson(modelVoucher, uscc(), "10000.00"),
                        national));
        String gdProgram = uid("gd-housing");
        expect(
                201,
                send(
                        "POST",
                        API + "/programs",
                        """
                {"programId": "%s", "name": "Zhuhai talent housing", "kind": "HOUSING_SUBSIDY", "province": "CN-GD",
                 "city": "Zhuhai", "currency": "CNY",
                 "rules": {"schedule": ["1.0", "0.7", "0.5"], "monthlyRentCap": %s, "capPerRecipient": %s,
                           "claimWindowMonths": 3}}
                """.formatted(gdProgram, money("5000.00"), money("120000.00")),
                        national));
        expect(
                200,
                send(
                        "POST",
                        API + "/programs/" + gdProgram + "/appropriations",
                        appropriationJson("10000000.00", "pool"),
                        national));
        String grant = uid("g");
        expect(
                201,
                send(
                        "POST",
                        API + "/programs/" + gdProgram + "/housing-grants",
                        grantJson(grant, "2026-08", "4000.00"),
                        national));
        // Four eyes: a Zhejiang program whose appropriations of 1,000,000.00 or more need a second person, and one
        // such request made by the fixtures' principal, pending.
        String fourEyes = uid("zj-4e");
        expect(
                201,
                send(
                        "POST",
                        API + "/programs",
                        voucherProgramJson(fourEyes, "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou")
                                .replace(
                                        "\"payee\": \"PROVIDER\"",
                                        "\"payee\": \"PROVIDER\", \"approvalThreshold\": " + money("1000000.00")),
                        national));
        String request = expect(
                        202,
                        send(
                                "POST",
                                API + "/programs/" + fourEyes + "/appropriations",
                                appropriationJson("1000000.00", "pool"),
                                national))
                .json()
                .path("requestId")
                .asText();
        return new Fixture(
                zjProgram, zjVoucher, redemption, provider, vendor, modelNo, modelVoucher, gdProgram, grant, request);
    }

    String uid(String prefix) {
        return prefix + "-" + sequence.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36);
    }

    String uscc() {
        return usccOf(sequence.incrementAndGet() * 7919 + (int) (System.nanoTime() % 1000));
    }

    /** A valid Unified Social Credit Code (GB 32100-2015): weights 3^i mod 31, check (31 − Σ mod 31) mod 31. */
    static String usccOf(int n) {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        String first17 = "91330100" + String.format("%09d", Math.abs(n) % 1_000_000_000);
        int sum = 0;
        int weight = 1;
        for (int i = 0; i < 17; i++) {
            sum += alphabet.indexOf(first17.charAt(i)) * weight;
            weight = weight * 3 % 31;
        }
        return first17 + alphabet.charAt((31 - sum % 31) % 31);
    }

    static String money(String amount) {
        return "{\"amount\": \"" + amount + "\", \"currency\": \"CNY\"}";
    }

    static String voucherProgramJson(String programId, String kind, String province, String city) {
        return """
                {"programId": "%s", "name": "%s vouchers", "kind": "%s", "province": "%s", "city": "%s",
                 "currency": "CNY",
                 "rules": {"coverageRatio": "0.30", "maxVoucherValue": %s, "capPerBeneficiaryPerYear": %s,
                           "validityDays": 365, "eligibleSectors": ["software", "healthcare", "finance"],
                           "payee": "PROVIDER"}}
                """.formatted(programId, programId, kind, province, city, money("8000000.00"), money("8000000.00"));
    }

    static String appropriationJson(String amount, String reference) {
        return "{\"amount\": " + money(amount) + ", \"reference\": \"" + reference + "\"}";
    }

    static String accreditJson(String providerId, String kind, String legalId) {
        return "{\"providerId\": \"" + providerId + "\", \"name\": \"Provider " + providerId + "\", \"id\": \""
                + legalId + "\", \"kind\": \"" + kind + "\"}";
    }

    static String issueJson(String voucherId, String uscc, String faceValue) {
        return "{\"voucherId\": \"" + voucherId + "\", \"beneficiary\": {\"id\": \"" + uscc + "\", \"name\": \"Firm "
                + uscc + "\", \"sector\": \"software\"}, \"faceValue\": " + money(faceValue) + "}";
    }

    static String computeRedemptionJson(String redemptionId, String providerId, String amount) {
        return "{\"redemptionId\": \"" + redemptionId + "\", \"contractRef\": \"c-" + redemptionId
                + "\", \"invoiceRef\": \"i-" + redemptionId + "\", \"providerId\": \"" + providerId
                + "\", \"invoiceAmount\": " + money(amount) + ", \"gpuHours\": 12.5}";
    }

    static String modelRedemptionJson(String redemptionId, String vendorId, String filingNo, String amount) {
        return "{\"redemptionId\": \"" + redemptionId + "\", \"contractRef\": \"c-" + redemptionId
                + "\", \"invoiceRef\": \"i-" + redemptionId + "\", \"providerId\": \"" + vendorId
                + "\", \"filingNo\": \"" + filingNo + "\", \"invoiceAmount\": " + money(amount)
                + ", \"usage\": \"API_ACCESS\"}";
    }

    static String grantJson(String grantId, String startMonth, String monthlyRent) {
        return "{\"grantId\": \"" + grantId + "\", \"recipient\": {\"personRef\": \"talent-" + grantId
                + "\", \"category\": \"GRADUATE\"}, \"startMonth\": \"" + startMonth + "\", \"monthlyRent\": "
                + money(monthlyRent) + "}";
    }

    // ================================================================ HTTP and the store

    record Reply(String describe, int status, HttpHeaders headers, String body) {
        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return describe + " -> " + status + " " + body;
        }
    }

    static Reply expect(int status, Reply reply) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(status);
        return reply;
    }

    static String basic(String user) {
        return basic(user, "demo");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Reply send(String method, String path, String body, String authorization) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        String described = method + " " + path + (body == null ? "" : " " + body);
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(described, response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + described, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + described, e);
        }
    }

    long eventCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
    }

    long lastGlobalIndex() {
        Long last = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        return last == null ? 0 : last;
    }

    List<JsonNode> metadataSince(long globalIndex) throws IOException {
        List<String> rows = jdbc.queryForList(
                "SELECT UTF8TOSTRING(meta_data) FROM domain_event_entry"
                        + " WHERE global_index > ? ORDER BY global_index",
                String.class,
                globalIndex);
        List<JsonNode> metadata = new ArrayList<>();
        for (String row : rows) {
            metadata.add(JSON.readTree(row));
        }
        return metadata;
    }
}
