package org.subsidyledger.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium against the packaged ledger with the demo history ({@link LedgerProcess}; one ledger for the class). Signs
 * in as the national admin, the auditor and two province officers; every figure checked on a page is compared with
 * the JSON API's answer to the same question; an officer cannot reach another province's pages or data, also by
 * typing URLs; charts render with the right number of series; the language and unit switches change labels and
 * numbers; a CSV download equals the API's figures; axe-core finds no serious or critical accessibility violation on
 * any page; and every page is photographed in both languages under {@code target/screenshots/}.
 *
 * <p>{@code -Ddashboard.url=http://127.0.0.1:8080} runs the same checks against a ledger already running with the
 * demo history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private LedgerProcess ledger;
    private String base;
    private ChromeDriver browser;
    private Path downloads;
    private Path profile;
    private String axeSource;
    private final List<Long> dataRequestMillis = new ArrayList<>();
    private final List<Long> renderMillis = new ArrayList<>();
    private final Map<String, List<Long>> dataRequestsByPath = new TreeMap<>();

    @BeforeAll
    void start() throws IOException {
        String attached = System.getProperty("dashboard.url");
        ledger = attached != null && !attached.isBlank() ? LedgerProcess.attach(attached) : LedgerProcess.startDemo();
        base = ledger.base;
        try (InputStream axe =
                getClass().getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            assertThat(axe).as("axe-core from its WebJar").isNotNull();
            axeSource = new String(axe.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(SCREENSHOTS);
        downloads = Files.createTempDirectory("dashboard-downloads-");
        profile = Files.createTempDirectory("dashboard-chromium-");
        browser = chromium(downloads, profile, "zh-CN,zh");
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (ledger != null) {
                ledger.close();
            }
            delete(downloads);
            delete(profile);
        }
    }

    static ChromeDriver chromium(Path downloads, Path profile, String languages) {
        String binary = System.getProperty("chromium.binary", "/usr/bin/chromium");
        String driver = System.getProperty("chromedriver", "/usr/bin/chromedriver");
        if (!new File(binary).canExecute() || !new File(driver).canExecute()) {
            fail("Chromium (" + binary + ") and chromedriver (" + driver + ") are required: apt-get install -y "
                    + "chromium chromium-driver (.ci/run does this)");
        }
        ChromeOptions options = new ChromeOptions().setBinary(binary);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=1400,1000",
                "--lang=" + languages.split(",")[0]);
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("intl.accept_languages", languages);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver))
                .usingAnyFreePort()
                .build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.executeCdpCommand(
                "Browser.setDownloadBehavior",
                Map.of(
                        "behavior",
                        "allow",
                        "downloadPath",
                        downloads.toAbsolutePath().toString()));
        return chrome;
    }

    // ------------------------------------------------------------------------------------------------ national

    @Test
    @Order(1)
    void theNationalAdminSeesEveryProvinceWithTheApiFiguresInChineseByDefault() throws Exception {
        browser.get(base + "/");
        awaitUrl("/login");
        assertThat(browser.findElement(By.id("sign-in")).getText()).isEqualTo("登录");
        axe("login");
        screenshot("login-zh");
        signIn("national");
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/");
        assertThat(heading()).isEqualTo("全国概览"); // Accept-Language zh-CN
        assertThat(columnLabel("province-table", "appropriated")).isEqualTo("拨款");

        JsonNode provinces = ledger("/api/v1/provinces", "national");
        Map<String, String> expected = new LinkedHashMap<>();
        provinces
                .get("provinces")
                .forEach(p -> p.get("currencies")
                        .forEach(c -> expected.put(
                                p.get("province").asText() + "/"
                                        + c.get("currency").asText(),
                                symbol(c.get("currency").asText())
                                        + grouped(c.get("appropriated").asText(), 0))));
        assertThat(rowsByProvince("province-table", "appropriated")).isEqualTo(expected);
        assertThat(seriesOf("chart-CNY")).isEqualTo(3);
        assertThat(seriesOf("chart-USD")).isEqualTo(3);
        screenshot("overview-zh");
        axe("overview-zh");

        // 万元 then 亿元: the same figures divided by 10^4 and 10^8, rounded half up to two decimals.
        choose("unit-switch", "wan");
        String zj = stream(provinces.get("provinces"))
                .filter(p -> p.get("province").asText().equals("CN-ZJ"))
                .findFirst()
                .orElseThrow()
                .get("currencies")
                .get(0)
                .get("appropriated")
                .asText();
        assertThat(rowsByProvince("province-table", "appropriated").get("CN-ZJ/CNY"))
                .isEqualTo("¥" + grouped(zj, 4));
        choose("unit-switch", "yi");
        assertThat(rowsByProvince("province-table", "appropriated").get("CN-ZJ/CNY"))
                .isEqualTo("¥" + grouped(zj, 8));
        assertThat(browser.findElement(By.xpath("//div[@id='chart-CNY']/following-sibling::figcaption"))
                        .getText())
                .contains("亿元");
        choose("unit-switch", "yuan");

        choose("lang-switch", "en");
        assertThat(heading()).isEqualTo("National overview");
        assertThat(columnLabel("province-table", "appropriated")).isEqualTo("Appropriated");
        assertThat(rowsByProvince("province-table", "appropriated")).isEqualTo(expected);
        screenshot("overview-en");
        axe("overview-en");
    }

    @Test
    @Order(2)
    void aCsvDownloadHoldsTheApiFigures() throws Exception {
        setLanguage("en");
        open("/dashboard/");
        List<Map<String, String>> lines = downloadCsv("province-table", "provinces.csv");
        Map<String, Map<String, String>> csv = new HashMap<>();
        for (Map<String, String> row : lines) {
            csv.put(row.get("Code") + "/" + row.get("Currency"), row);
        }
        JsonNode provinces = ledger("/api/v1/provinces", "national");
        int rows = 0;
        for (JsonNode p : provinces.get("provinces")) {
            for (JsonNode c : p.get("currencies")) {
                Map<String, String> row = csv.get(
                        p.get("province").asText() + "/" + c.get("currency").asText());
                assertThat(row).as("CSV row of %s", p.get("province")).isNotNull();
                for (String figure : List.of("appropriated", "committed", "disbursed", "paid", "available")) {
                    String label = Character.toUpperCase(figure.charAt(0)) + figure.substring(1) + " [Currency]";
                    assertThat(row.get(label))
                            .as("%s %s", p.get("province"), figure)
                            .isEqualTo(c.get(figure).asText());
                }
                assertThat(row.get("Execution rate"))
                        .isEqualTo(c.get("executionRate").asText());
                rows++;
            }
        }
        assertThat(lines).hasSize(rows);

        // Sortable: one click on a column sorts ascending, a second descending; a province's name opens its page.
        browser.findElement(By.cssSelector("#province-table th button[data-sort='appropriated']"))
                .click();
        List<BigDecimal> ascending = cells("province-table", "appropriated").stream()
                .map(DashboardBrowserIT::amount)
                .toList();
        assertThat(ascending).hasSize(rows).isSorted();
        browser.findElement(By.cssSelector("#province-table th button[data-sort='appropriated']"))
                .click();
        List<BigDecimal> descending = new ArrayList<>(ascending);
        Collections.reverse(descending);
        assertThat(cells("province-table", "appropriated").stream()
                        .map(DashboardBrowserIT::amount)
                        .toList())
                .isEqualTo(descending);
        browser.findElement(By.cssSelector("#province-table a[href$='code=CN-ZJ']"))
                .click();
        awaitUrl("/dashboard/province.html?code=CN-ZJ");
        awaitReady();
        assertThat(browser.findElements(By.id("budget-table-CNY"))).hasSize(1);
    }

    @Test
    @Order(3)
    void aProvincePageShowsTheBudgetTheBurnUpAndThePrograms() throws Exception {
        for (String language : List.of("en", "zh")) {
            setLanguage(language);
            open("/dashboard/province.html?code=CN-ZJ");
            JsonNode budget = ledger("/api/v1/provinces/CN-ZJ/budget", "national");
            JsonNode cny = currencyBlock(budget, "CNY");
            for (String figure :
                    List.of("appropriated", "committed", "disbursed", "paid", "payable", "released", "available")) {
                assertThat(cells("budget-table-CNY", figure))
                        .as(figure)
                        .containsExactly("¥" + grouped(cny.get(figure).asText(), 0));
            }
            assertThat(cells("budget-table-CNY", "executionRate"))
                    .containsExactly(grouped(
                                    new BigDecimal(cny.get("executionRate").asText())
                                            .movePointRight(2)
                                            .toPlainString(),
                                    0)
                            + " %");
            List<String> cities = new ArrayList<>();
            cny.get("byCity")
                    .forEach(c -> cities.add("¥" + grouped(c.get("appropriated").asText(), 0)));
            assertThat(cells("city-table-CNY", "appropriated")).containsExactlyElementsOf(cities);
            assertThat(seriesOf("chart-burnup-CNY")).isEqualTo(4);
            assertThat(seriesOf("chart-city-CNY")).isEqualTo(3);
            JsonNode series = ledger("/api/v1/provinces/CN-ZJ/budget/series?interval=month", "national");
            List<String> paid = new ArrayList<>();
            series.get("points").forEach(p -> {
                JsonNode block = p.get("currencies").size() == 0 ? null : currencyBlock(p, "CNY");
                paid.add(
                        "¥" + grouped(block == null ? "0.00" : block.get("paid").asText(), 0));
            });
            assertThat(cells("burnup-table-CNY", "paid"))
                    .as("burn-up points")
                    .hasSize(25)
                    .containsExactlyElementsOf(paid);
            List<String> programs = new ArrayList<>();
            ledger("/api/v1/programs?province=CN-ZJ", "national")
                    .get("programs")
                    .forEach(p -> programs.add(p.get("programId").asText()));
            assertThat(cells("program-table", "programId")).containsExactlyElementsOf(programs);
            assertThat(browser.findElements(By.cssSelector("#open-alerts .alert-card")))
                    .hasSize(ledger("/api/v1/alerts?province=CN-ZJ&status=OPEN", "national")
                            .size());
            screenshot("province-CN-ZJ-" + language);
            axe("province-" + language);
        }
    }

    @Test
    @Order(4)
    void programVoucherGrantAndAlertPagesShowTheApiFigures() throws Exception {
        for (String language : List.of("en", "zh")) {
            setLanguage(language);
            open("/dashboard/program.html?id=zj-hangzhou-compute-2026");
            JsonNode program = ledger("/api/v1/programs/zj-hangzhou-compute-2026", "national");
            assertThat(heading()).isEqualTo(program.get("name").asText());
            assertThat(cells("program-figures", "disbursed"))
                    .containsExactly("¥"
                            + grouped(program.get("figures").get("disbursed").asText(), 0));
            JsonNode activity = ledger("/api/v1/programs/zj-hangzhou-compute-2026/activity", "national");
            assertThat(seriesOf("chart-activity")).isEqualTo(2);
            assertThat(browser.findElement(By.id("provider-hhi")).getText())
                    .endsWith(activity.get("providerHhi").asText());
            awaitElement("vouchers-table");
            JsonNode page = ledger("/api/v1/programs/zj-hangzhou-compute-2026/vouchers?limit=20", "national");
            List<String> vouchers = new ArrayList<>();
            page.get("items").forEach(v -> vouchers.add(v.get("voucherId").asText()));
            assertThat(cells("vouchers-table", "voucherId")).containsExactlyElementsOf(vouchers);
            // Searchable: the list then holds what the API answers for that search.
            String wanted = vouchers.get(vouchers.size() - 1);
            List<String> found = new ArrayList<>();
            ledger("/api/v1/programs/zj-hangzhou-compute-2026/vouchers?limit=20&q=" + wanted, "national")
                    .get("items")
                    .forEach(v -> found.add(v.get("voucherId").asText()));
            assertThat(found).contains(wanted).hasSizeLessThan(vouchers.size());
            browser.findElement(By.id("vouchers-search")).sendKeys(wanted);
            browser.findElement(By.cssSelector("#vouchers form[role='search'] button[type='submit']"))
                    .click();
            new WebDriverWait(browser, WAIT)
                    .ignoring(StaleElementReferenceException.class)
                    .until(d -> cells("vouchers-table", "voucherId").equals(found));
            screenshot("program-" + language);
            axe("program-" + language);

            String voucherId = vouchers.get(0);
            open("/dashboard/voucher.html?id=" + voucherId);
            JsonNode voucher = ledger("/api/v1/vouchers/" + voucherId, "national");
            assertThat(browser.findElement(By.cssSelector("#voucher-facts dd[data-key='redeemed']"))
                            .getText())
                    .isEqualTo(
                            "¥" + grouped(voucher.get("redeemed").get("amount").asText(), 0));
            awaitElement("history-table");
            assertThat(cells("history-table", "type").get(0))
                    .isEqualTo(voucher.get("history").get(0).get("type").asText());
            screenshot("voucher-" + language);
            axe("voucher-" + language);

            open("/dashboard/program.html?id=gd-zhuhai-housing-2025");
            awaitElement("grants-table");
            String grantId = cells("grants-table", "grantId").get(0);
            screenshot("program-housing-" + language);
            open("/dashboard/grant.html?id=" + grantId);
            JsonNode grant = ledger("/api/v1/housing-grants/" + grantId, "national");
            List<String> months = new ArrayList<>();
            grant.get("schedule")
                    .forEach(m ->
                            months.add("¥" + grouped(m.get("paid").get("amount").asText(), 0)));
            assertThat(cells("schedule-table", "paid")).containsExactlyElementsOf(months);
            awaitElement("history-table");
            screenshot("grant-" + language);
            axe("grant-" + language);

            open("/dashboard/alerts.html?status=OPEN&level=WARNING");
            long expected = stream(ledger("/api/v1/alerts?status=OPEN", "national"))
                    .filter(a -> a.get("level").asText().equals("WARNING"))
                    .count();
            assertThat(browser.findElements(By.cssSelector("#alert-table tbody tr")))
                    .hasSize((int) expected);
            assertThat(cells("alert-table", "message"))
                    .as("each alert's explanation")
                    .containsExactlyInAnyOrderElementsOf(stream(ledger("/api/v1/alerts?status=OPEN", "national"))
                            .filter(a -> a.get("level").asText().equals("WARNING"))
                            .map(a -> a.get("message").asText())
                            .toList());
            assertThat(browser.findElements(By.cssSelector(".alert-card.CRITICAL")))
                    .isEmpty();
            screenshot("alerts-" + language);
            axe("alerts-" + language);
        }
        setLanguage("en");
    }

    // ------------------------------------------------------------------------------------------------ other users

    @Test
    @Order(5)
    void theAuditorReadsEverythingAndCannotChangeAnything() throws Exception {
        signOut();
        signIn("auditor");
        setLanguage("en");
        assertThat(rowsByProvince("province-table", "appropriated"))
                .hasSize((int) stream(ledger("/api/v1/provinces", "national").get("provinces"))
                        .mapToLong(p -> p.get("currencies").size())
                        .sum());
        assertThat(fetchStatus("POST", "/api/v1/programs", true))
                .as("a command from the auditor's session")
                .isEqualTo(403);
        screenshot("overview-auditor-en");
    }

    @Test
    @Order(6)
    void anOfficerSeesTheirProvinceOnlyWhateverTheyType() throws Exception {
        String gdGrant = ledger("/api/v1/programs/gd-zhuhai-housing-2025/housing-grants?limit=1", "national")
                .get("items")
                .get(0)
                .get("grantId")
                .asText();
        for (String[] officer : new String[][] {
            {"officer-cn-zj", "CN-ZJ", "CN-GD", "gd-zhuhai-housing-2025"},
            {"officer-cn-gd", "CN-GD", "CN-ZJ", "zj-hangzhou-compute-2026"}
        }) {
            signOut();
            signIn(officer[0]);
            awaitUrl("/dashboard/province.html?code=" + officer[1]);
            awaitReady();
            JsonNode own = currencyBlock(ledger("/api/v1/provinces/" + officer[1] + "/budget", officer[0]), "CNY");
            assertThat(cells("budget-table-CNY", "available"))
                    .containsExactly("¥" + grouped(own.get("available").asText(), 0));
            screenshot("province-" + officer[1] + "-officer-en");

            open("/dashboard/province.html?code=" + officer[2]);
            assertThat(browser.findElement(By.cssSelector("#main .message.error"))
                            .getText())
                    .isEqualTo("Not found, or not yours to see.");
            assertThat(browser.findElements(By.cssSelector("table.figures"))).isEmpty();
            open("/dashboard/program.html?id=" + officer[3]);
            assertThat(browser.findElements(By.cssSelector("#main .message.error")))
                    .hasSize(1);
            assertThat(browser.findElements(By.cssSelector("table.figures"))).isEmpty();
            String foreign = officer[2].equals("CN-GD")
                    ? "/dashboard/grant.html?id=" + gdGrant
                    : "/dashboard/voucher.html?id=zj-hangzhou-compute-v1";
            open(foreign);
            assertThat(browser.findElement(By.cssSelector("#main .message.error"))
                            .getText())
                    .as("%s typed by %s", foreign, officer[0])
                    .isEqualTo("Not found, or not yours to see.");
            assertThat(browser.findElements(By.cssSelector("dl.facts, #history-table")))
                    .isEmpty();
            String foreignApi = officer[2].equals("CN-GD")
                    ? "/api/v1/housing-grants/" + gdGrant
                    : "/api/v1/vouchers/zj-hangzhou-compute-v1";
            assertThat(fetchStatus("GET", foreignApi, false)).isEqualTo(404);
            assertThat(fetchStatus("GET", foreignApi + "/history", false)).isEqualTo(404);
            for (String path : List.of(
                    "/api/v1/provinces/" + officer[2] + "/budget",
                    "/api/v1/provinces/" + officer[2] + "/budget/series",
                    "/api/v1/programs/" + officer[3],
                    "/api/v1/programs/" + officer[3] + "/activity",
                    "/api/v1/programs/" + officer[3] + "/vouchers",
                    "/api/v1/alerts?province=" + officer[2])) {
                assertThat(fetchStatus("GET", path, false))
                        .as("%s from %s's session", path, officer[0])
                        .isEqualTo(404);
            }
            open("/dashboard/alerts.html");
            List<String> provinces =
                    browser.findElements(By.cssSelector("#alert-table td[data-key='provinceLabel']")).stream()
                            .map(WebElement::getText)
                            .distinct()
                            .toList();
            assertThat(provinces).containsOnly(officer[1].equals("CN-ZJ") ? "Zhejiang" : "Guangdong");
            open("/dashboard/");
            awaitUrl("/dashboard/province.html?code=" + officer[1]);
        }
    }

    @Test
    @Order(7)
    void theSessionNeedsItsCsrfTokenAndSignOutEndsIt() throws Exception {
        signOut();
        signIn("national");
        assertThat(fetchStatus("POST", "/api/v1/admin/projections/budget/replay", false))
                .as("a command from the session without its CSRF token")
                .isEqualTo(403);
        assertThat(fetchJson("/api/v1/me").get("name").asText()).isEqualTo("national");
        signOut();
        assertThat(browser.getCurrentUrl()).contains("/login?logout");
        browser.get(base + "/dashboard/province.html?code=CN-ZJ");
        awaitUrl("/login");
        assertThat(fetchStatus("GET", "/api/v1/provinces", false))
                .as("the API after sign-out")
                .isEqualTo(401);
    }

    /**
     * A table of the province page downloaded in Chinese: the byte order mark, Chinese headers, and every money
     * figure of every city as the API states it; the forward liabilities likewise.
     */
    @Test
    @Order(8)
    void aProvinceCsvInChineseHoldsTheApiFiguresOfEveryCity() throws Exception {
        signIn("national"); // the test before signed out
        setLanguage("zh");
        open("/dashboard/province.html?code=CN-ZJ");
        JsonNode cny = currencyBlock(ledger("/api/v1/provinces/CN-ZJ/budget", "national"), "CNY");
        List<Map<String, String>> cities = downloadCsv("city-table-CNY", "CN-ZJ-CNY-cities.csv");
        assertThat(cities).hasSize(cny.get("byCity").size());
        Map<String, String> labels = Map.of(
                "appropriated",
                "拨款",
                "committed",
                "已承诺",
                "disbursed",
                "已支出",
                "paid",
                "已支付",
                "payable",
                "应付",
                "released",
                "已释放",
                "available",
                "可用");
        for (int i = 0; i < cities.size(); i++) {
            JsonNode city = cny.get("byCity").get(i);
            Map<String, String> row = cities.get(i);
            assertThat(row.get("城市"))
                    .isEqualTo(
                            city.get("city").isNull() ? "–" : city.get("city").asText());
            for (Map.Entry<String, String> figure : labels.entrySet()) {
                assertThat(column(row, figure.getValue()))
                        .as("%s of %s", figure.getKey(), row.get("城市"))
                        .isEqualTo(city.get(figure.getKey()).asText());
            }
        }
        List<Map<String, String>> liabilities = downloadCsv("liability-table-CNY", "CN-ZJ-CNY-liabilities.csv");
        List<String> expected = new ArrayList<>();
        cny.get("forwardLiabilities")
                .forEach(l -> expected.add(
                        l.get("year").asText() + " " + l.get("amount").asText()));
        assertThat(liabilities.stream()
                        .map(r -> r.get("财政年度") + " " + column(r, "金额"))
                        .toList())
                .containsExactlyElementsOf(expected);
        setLanguage("en");
    }

    /**
     * A voucher with 25 redemptions (made here through the API) has 26 history entries: the page shows them 20 at a
     * time, exactly as {@code GET /vouchers/{id}/history?after=&limit=20} pages them, forwards and back.
     */
    @Test
    @Order(9)
    void aLongHistoryIsPagedAsTheApiPagesIt() throws Exception {
        String voucherId = "zj-hz-paged-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        ledger.post(
                "/api/v1/programs/zj-hangzhou-compute-2026/vouchers",
                "national",
                "{\"voucherId\":\""
                        + voucherId
                        + "\",\"beneficiary\":{\"id\":\"91330100MA6GNN8F01\",\"name\":\"Paged history test\","
                        + "\"sector\":\"software\"},\"faceValue\":{\"amount\":\"1000.00\",\"currency\":\"CNY\"}}");
        for (int i = 0; i < 25; i++) {
            ledger.post(
                    "/api/v1/vouchers/" + voucherId + "/compute-redemptions",
                    "national",
                    "{\"contractRef\":\""
                            + voucherId + "-c\",\"invoiceRef\":\"" + voucherId + "-inv-" + i
                            + "\",\"providerId\":\"aliyun\","
                            + "\"invoiceAmount\":{\"amount\":\"10.00\",\"currency\":\"CNY\"}}");
        }
        JsonNode first = ledger("/api/v1/vouchers/" + voucherId + "/history?limit=20", "national");
        JsonNode second = ledger(
                "/api/v1/vouchers/" + voucherId + "/history?limit=20&after="
                        + first.get("next").asText(),
                "national");
        assertThat(first.get("items")).hasSize(20);
        assertThat(second.get("items")).hasSize(6);

        setLanguage("en");
        open("/dashboard/voucher.html?id=" + voucherId);
        awaitElement("history-table");
        awaitHistoryPage("1", indexes(first));
        pager("Next");
        awaitHistoryPage("2", indexes(second));
        assertThat(browser.findElement(By.xpath("//div[@class='pager']/button[2]"))
                        .isEnabled())
                .isFalse();
        pager("Previous");
        awaitHistoryPage("1", indexes(first));
        assertThat(cells("redemption-table", "redemptionId")).hasSize(25);
        // Dates in the province's time zone: Zhejiang is Asia/Shanghai, whatever the browser's own zone.
        ZonedDateTime expires = Instant.parse(ledger("/api/v1/vouchers/" + voucherId, "national")
                        .get("expiresAt")
                        .asText())
                .atZone(ZoneId.of("Asia/Shanghai"));
        assertThat(browser.findElement(By.cssSelector("#voucher-facts dd[data-key='expiresAt']"))
                        .getText())
                .contains(DateTimeFormatter.ofPattern("dd/MM/yyyy").format(expires))
                .contains(DateTimeFormatter.ofPattern("HH:mm").format(expires))
                .contains("GMT+8");
        screenshot("voucher-paged-history-en");
    }

    /** Swagger UI offers the API under the ledger's title, by feature, with Authorize for Basic and bearer. */
    @Test
    @Order(10)
    void theApiDocsInTheBrowserOfferBothSchemes() throws Exception {
        // Swagger UI's text is read from the DOM (textContent), which does not depend on what is scrolled into view.
        browser.get(base + "/swagger-ui.html");
        new WebDriverWait(browser, WAIT)
                .until(d -> String.valueOf(
                                browser.executeScript(
                                        "const t = document.querySelector('.information-container .title'); return t ? t.textContent : '';"))
                        .contains("Subsidy Ledger API"));
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElements(By.cssSelector("h3.opblock-tag")).size() >= 9);
        assertThat(browser.findElements(By.cssSelector("h3.opblock-tag")).stream()
                        .map(e -> e.getAttribute("data-tag"))
                        .toList())
                .containsExactly(
                        "Programs",
                        "Vouchers",
                        "Housing",
                        "Approvals",
                        "Registries",
                        "Budget",
                        "Alerts",
                        "Audit",
                        "Admin");
        browser.findElement(By.cssSelector("button.authorize")).click();
        new WebDriverWait(browser, WAIT)
                .until(d -> !d.findElements(By.cssSelector(".modal-ux .auth-container"))
                        .isEmpty());
        String dialog =
                String.valueOf(browser.executeScript("return document.querySelector('.modal-ux').textContent;"));
        assertThat(dialog).contains("basic").contains("bearer").contains("JWT");
        screenshot("api-docs-authorize");
    }

    /**
     * Not a timed test (speed is measured by benchmarks): the browser's Resource Timing of every data request made by
     * the pages above, and the time from navigation to a page's first complete render, are written to
     * {@code target/screenshots/timings.txt} for docs/BENCHMARKS.md.
     */
    @Test
    @Order(11)
    void theTimingsOfEveryPageAreRecorded() throws IOException {
        assertThat(dataRequestMillis).isNotEmpty();
        assertThat(renderMillis).isNotEmpty();
        List<String> lines = new ArrayList<>();
        lines.add(summary("data requests (request start to response end, ms)", dataRequestMillis));
        lines.add(summary("first render (navigation start to the page ready, ms)", renderMillis));
        dataRequestsByPath.forEach((path, millis) -> lines.add(summary(path, millis)));
        Files.write(SCREENSHOTS.resolve("timings.txt"), lines);
        lines.forEach(System.out::println);
    }

    /**
     * Four eyes in the browser: the pending requests of the officer's province as the API lists them, in Chinese and
     * English; the auditor has no buttons; another person than the maker approves in the browser, and the API then
     * shows the request approved and its appropriation made.
     */
    @Test
    @Order(12)
    void aSecondPersonApprovesAPendingRequestInTheBrowser() throws Exception {
        signOut();
        signIn("auditor");
        setLanguage("en");
        open("/dashboard/approvals.html");
        awaitElement("approval-table");
        List<String> pending = stream(ledger("/api/v1/approvals?status=PENDING", "national"))
                .map(r -> r.get("requestId").asText())
                .toList();
        assertThat(pending).as("the demo leaves one request pending").hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#approval-table tbody tr")))
                .hasSize(1);
        assertThat(browser.findElements(By.cssSelector("[data-approve]")))
                .as("the auditor decides nothing")
                .isEmpty();

        signOut();
        signIn("officer-cn-zj");
        for (String language : List.of("zh", "en")) {
            setLanguage(language);
            open("/dashboard/approvals.html");
            awaitElement("approval-table");
            assertThat(heading()).isEqualTo(language.equals("zh") ? "审批" : "Approvals");
            assertThat(browser.findElements(By.cssSelector("[data-approve]")).stream()
                            .map(b -> b.getAttribute("data-approve"))
                            .toList())
                    .containsExactlyElementsOf(pending);
            JsonNode request = ledger("/api/v1/approvals/" + pending.get(0), "national");
            assertThat(cells("approval-table", "maker"))
                    .containsExactly(request.get("maker").asText());
            assertThat(cells("approval-table", "amountValue"))
                    .containsExactly("¥" + grouped(request.at("/amount/amount").asText(), 0));
            screenshot("approvals-" + language);
            axe("approvals-" + language);
        }
        String appropriatedBefore = ledger("/api/v1/programs/zj-hangzhou-compute-2026", "national")
                .at("/figures/appropriated")
                .asText();
        browser.findElement(By.cssSelector("[data-approve='" + pending.get(0) + "']"))
                .click();
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElements(By.cssSelector("[data-approve]")).isEmpty());
        awaitReady();
        JsonNode decided = ledger("/api/v1/approvals/" + pending.get(0), "national");
        assertThat(decided.get("status").asText()).isEqualTo("APPROVED");
        assertThat(decided.get("checker").asText()).isEqualTo("officer-cn-zj");
        assertThat(new BigDecimal(ledger("/api/v1/programs/zj-hangzhou-compute-2026", "national")
                                .at("/figures/appropriated")
                                .asText())
                        .subtract(new BigDecimal(appropriatedBefore)))
                .isEqualByComparingTo(decided.at("/amount/amount").asText());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void signIn(String user) {
        if (!browser.getCurrentUrl().contains("/login")) {
            browser.get(base + "/login");
        }
        awaitElement("username");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("demo");
        browser.findElement(By.id("sign-in")).click();
        awaitUrl("/dashboard/");
        awaitReady();
    }

    private void signOut() {
        if (browser.findElements(By.id("sign-out")).isEmpty()) {
            open("/dashboard/alerts.html");
        }
        browser.findElement(By.id("sign-out")).click();
        awaitUrl("/login");
    }

    private void open(String path) {
        browser.get(base + path);
        awaitReady();
    }

    private void awaitReady() {
        new WebDriverWait(browser, WAIT)
                .until(d -> "true"
                        .equals(((JavascriptExecutor) d)
                                .executeScript("const m = document.getElementById('main');"
                                        + "return m && m.dataset.ready;")));
        recordTimings();
    }

    private void awaitUrl(String part) {
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().contains(part));
    }

    private void awaitElement(String id) {
        new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.id(id)).isEmpty());
    }

    /** The language for the next page, and the unit back to 元 whatever an earlier test left. */
    private void setLanguage(String language) {
        browser.executeScript(
                "localStorage.setItem('ledger.lang', arguments[0]);" + "localStorage.setItem('ledger.unit', 'yuan');",
                language);
    }

    private void choose(String selectId, String value) {
        new Select(browser.findElement(By.id(selectId))).selectByValue(value);
        awaitReady();
    }

    private String heading() {
        return browser.findElement(By.cssSelector("#main h1")).getText();
    }

    private String columnLabel(String tableId, String key) {
        return browser.findElement(By.cssSelector("#" + tableId + " th button[data-sort='" + key + "']"))
                .getText();
    }

    private List<String> cells(String tableId, String key) {
        return browser.findElements(By.cssSelector("#" + tableId + " tbody td[data-key='" + key + "']")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** A column of the overview by "province/currency". */
    private Map<String, String> rowsByProvince(String tableId, String key) {
        List<String> provinces = cells(tableId, "province");
        List<String> currencies = cells(tableId, "currency");
        List<String> values = cells(tableId, key);
        Map<String, String> rows = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            rows.put(provinces.get(i) + "/" + currencies.get(i), values.get(i));
        }
        return rows;
    }

    /** The number of series the chart was drawn with; the SVG must hold drawn shapes. */
    private int seriesOf(String chartId) {
        new WebDriverWait(browser, WAIT)
                .until(d -> !d.findElements(By.cssSelector("#" + chartId + " svg path"))
                        .isEmpty());
        Object count = browser.executeScript(
                "const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                        + "return c.getOption().series.filter(s => s.data && s.data.length > 0).length;",
                chartId);
        assertThat(browser.findElements(By.cssSelector("#" + chartId + " svg path"))
                        .size())
                .isGreaterThan(3);
        return ((Number) count).intValue();
    }

    private int fetchStatus(String method, String path, boolean withCsrf) {
        Object status = browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const headers = {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest'};"
                        + "if (arguments[2]) { const c = document.cookie.split('; ').find(x => x.startsWith('XSRF-TOKEN='));"
                        + "  if (c) headers['X-XSRF-TOKEN'] = decodeURIComponent(c.substring(11)); }"
                        + "fetch(arguments[1], {method: arguments[0], credentials: 'same-origin', headers,"
                        + "  body: arguments[0] === 'POST' ? '{}' : undefined, redirect: 'manual'})"
                        + ".then(r => done(r.status)).catch(e => done(-1));",
                method,
                path,
                withCsrf);
        return ((Number) status).intValue();
    }

    private JsonNode fetchJson(String path) throws IOException {
        Object body = browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done);",
                path);
        return JSON.readTree((String) body);
    }

    private JsonNode ledger(String path, String user) {
        return ledger.get(path, user);
    }

    /** axe-core in the page: no serious or critical violation. */
    private void axe(String page) throws IOException {
        browser.executeScript(axeSource);
        Object result = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
                + ".catch(e => done(JSON.stringify([{impact: 'critical', id: 'axe-failed', help: String(e)}])));");
        List<String> bad = new ArrayList<>();
        for (JsonNode violation : JSON.readTree((String) result)) {
            String impact = violation.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                List<String> targets = new ArrayList<>();
                violation
                        .path("nodes")
                        .forEach(n -> targets.add(n.path("target").toString()));
                bad.add(impact + " " + violation.path("id").asText() + ": "
                        + violation.path("help").asText() + " "
                        + targets.stream().limit(3).toList());
            }
        }
        assertThat(bad).as("axe-core on %s", page).isEmpty();
    }

    /** The whole page, beyond the window's height, as a PNG under target/screenshots/. */
    private void screenshot(String name) throws IOException {
        Map<String, Object> shot = browser.executeCdpCommand(
                "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    private Path awaitDownload(String name) {
        Path file = downloads.resolve(name);
        new WebDriverWait(browser, WAIT)
                .until(d -> Files.exists(file)
                        && file.toFile().length() > 0
                        && !Files.exists(downloads.resolve(name + ".crdownload")));
        return file;
    }

    private void recordTimings() {
        Object timings = browser.executeScript("const seen = window.__recorded || (window.__recorded = new Set());"
                + "const out = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/')"
                + "  && !seen.has(e)).map(e => { seen.add(e); return [new URL(e.name).pathname,"
                + "  Math.round(e.responseEnd - e.requestStart)]; });"
                + "const ready = performance.getEntriesByName('ledger-ready')[0];"
                + "if (ready && !window.__rendered) { window.__rendered = true;"
                + "  out.push(['render', Math.round(ready.startTime)]); }"
                + "return out;");
        if (timings instanceof List<?> list) {
            for (Object entry : list) {
                List<?> pair = (List<?>) entry;
                String path = (String) pair.get(0);
                long millis = ((Number) pair.get(1)).longValue();
                if (path.equals("render")) {
                    renderMillis.add(millis);
                } else {
                    dataRequestMillis.add(millis);
                    dataRequestsByPath
                            .computeIfAbsent(
                                    path.replaceAll(
                                            "/(vouchers|housing-grants|programs|provinces)/" + "[^/]+", "/$1/{id}"),
                                    k -> new ArrayList<>())
                            .add(millis);
                }
            }
        }
    }

    private static String summary(String what, List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format(
                Locale.ROOT,
                "%s: n=%d median=%d p90=%d max=%d",
                what,
                sorted.size(),
                sorted.get(sorted.size() / 2),
                sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.9) - 1)),
                sorted.get(sorted.size() - 1));
    }

    /** Clicks the history pager's button with this English label. */
    private void pager(String label) {
        browser.findElement(By.xpath("//div[@class='pager']/button[normalize-space()='" + label + "']"))
                .click();
    }

    /**
     * Waits until the history shows this page number and exactly these entries; the page re-renders its table and
     * pager when a page arrives, so an element read in between may be stale and is read again.
     */
    private void awaitHistoryPage(String page, List<String> expected) {
        new WebDriverWait(browser, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("history-page")).getText().equals(page)
                        && historyIndexes().equals(expected));
        assertThat(historyIndexes()).isEqualTo(expected);
    }

    private List<String> historyIndexes() {
        return cells("history-table", "globalIndex").stream()
                .map(s -> s.replace(",", ""))
                .toList();
    }

    private static List<String> indexes(JsonNode page) {
        List<String> indexes = new ArrayList<>();
        page.get("items").forEach(i -> indexes.add(i.get("globalIndex").asText()));
        return indexes;
    }

    /** Clicks a table's CSV button and reads the file: the byte order mark checked, one map per row by header. */
    private List<Map<String, String>> downloadCsv(String tableId, String fileName) throws IOException {
        Files.deleteIfExists(downloads.resolve(fileName));
        browser.findElement(By.cssSelector("button[data-csv='" + tableId + "']"))
                .click();
        byte[] bytes = Files.readAllBytes(awaitDownload(fileName));
        assertThat(bytes[0] & 0xff).as("UTF-8 byte order mark").isEqualTo(0xEF);
        assertThat(bytes[1] & 0xff).isEqualTo(0xBB);
        assertThat(bytes[2] & 0xff).isEqualTo(0xBF);
        List<String> lines = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8)
                .lines()
                .toList();
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells).as("cells of %s", line).hasSize(header.size());
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The cell of the column whose header is {@code label} or {@code label [currency]}. */
    private static String column(Map<String, String> row, String label) {
        return row.entrySet().stream()
                .filter(e -> e.getKey().equals(label) || e.getKey().startsWith(label + " ["))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no column " + label + " in " + row.keySet()));
    }

    /** A money cell as a number: its symbol and grouping removed. */
    private static BigDecimal amount(String cell) {
        return new BigDecimal(cell.replaceAll("[^0-9.\\-]", ""));
    }

    private static JsonNode currencyBlock(JsonNode budget, String currency) {
        return stream(budget.get("currencies"))
                .filter(c -> c.get("currency").asText().equals(currency))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + currency + " in " + budget));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    private static String symbol(String currency) {
        return switch (currency) {
            case "CNY" -> "¥";
            case "USD" -> "$";
            default -> currency + " ";
        };
    }

    /** What the page shows for an API amount in a unit of 10^shift: half-up to two decimals, grouped by thousands. */
    static String grouped(String amount, int shift) {
        BigDecimal value = new BigDecimal(amount).movePointLeft(shift).setScale(2, RoundingMode.HALF_UP);
        return String.format(Locale.ROOT, "%,.2f", value);
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing depends on its removal
        }
    }
}
