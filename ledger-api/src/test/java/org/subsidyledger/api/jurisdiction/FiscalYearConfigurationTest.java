package org.subsidyledger.api.jurisdiction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * {@code ledger.jurisdictions.<CODE>.fiscal-year-start} (SPEC §11): a configured start month moves the fiscal year,
 * and with it the year a beneficiary cap counts in; an invalid setting stops the start-up. US-CA's statutory year
 * starts in July; configured to start in October, a cap used up in September is free again on 1 October (Pacific
 * time) — with the statutory calendar both months are FY2027 and the second issue is refused.
 */
class FiscalYearConfigurationTest {
    /** 2026-09-15 12:00 in Los Angeles. */
    private static final Instant SEPTEMBER = Instant.parse("2026-09-15T19:00:00Z");
    /** 2026-09-30 23:59:59 in Los Angeles, the last second of FY2026 under an October calendar. */
    private static final Instant LAST_SECOND = Instant.parse("2026-10-01T06:59:59Z");
    /** 2026-10-01 00:00 in Los Angeles. */
    private static final Instant OCTOBER = Instant.parse("2026-10-01T07:00:00Z");

    private static final ProgramId PROGRAM = ProgramId.of("ca-compute");

    @TempDir
    Path data;

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(ConfigurableApplicationContext::close);
        assertThat(Jurisdiction.US_CA.fiscalYearStartMonth())
                .as("the statutory calendar after the stop")
                .isEqualTo(7);
    }

    @Test
    void aBeneficiaryCapResetsAtTheConfiguredStartOfTheFiscalYear() {
        MutableClock clock = new MutableClock(SEPTEMBER);
        CommandGateway ledger = start(clock, "--ledger.jurisdictions.US-CA.fiscal-year-start=10");
        assertThat(Jurisdiction.US_CA.fiscalYearStartMonth()).isEqualTo(10);
        assertThat(Jurisdiction.US_TX.fiscalYearStartMonth())
                .as("others keep their statute")
                .isEqualTo(9);
        launch(ledger);
        ledger.sendAndWait(issue("v-1"));

        clock.set(LAST_SECOND);
        assertThat(rejection(() -> ledger.sendAndWait(issue("v-2"))))
                .as("still FY2026 on the last second of September")
                .isEqualTo(RejectionCode.BENEFICIARY_CAP_EXCEEDED);

        clock.set(OCTOBER);
        ledger.sendAndWait(issue("v-2")); // FY2027: the cap counts afresh
        assertThat(rejection(() -> ledger.sendAndWait(issue("v-3")))).isEqualTo(RejectionCode.BENEFICIARY_CAP_EXCEEDED);
        JdbcTemplate jdbc = started.get(0).getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%VoucherIssued'", Long.class))
                .isEqualTo(2);
    }

    @Test
    void theStatutoryCalendarKeepsSeptemberAndOctoberInOneFiscalYear() {
        MutableClock clock = new MutableClock(SEPTEMBER);
        CommandGateway ledger = start(clock);
        launch(ledger);
        ledger.sendAndWait(issue("v-1"));
        clock.set(OCTOBER);
        assertThat(rejection(() -> ledger.sendAndWait(issue("v-2")))).isEqualTo(RejectionCode.BENEFICIARY_CAP_EXCEEDED);
    }

    @Test
    void anInvalidCalendarStopsTheStartUp() {
        MutableClock clock = new MutableClock(SEPTEMBER);
        assertThatThrownBy(() -> start(clock, "--ledger.jurisdictions.US-CA.fiscal-year-start=13"))
                .rootCause()
                .hasMessageContaining("US-CA")
                .hasMessageContaining("13");
        assertThatThrownBy(() -> start(clock, "--ledger.jurisdictions.US-CA.fiscal-year-start=0"))
                .rootCause()
                .hasMessageContaining("US-CA");
        assertThatThrownBy(() -> start(clock, "--ledger.jurisdictions.XX-QQ.fiscal-year-start=4"))
                .rootCause()
                .hasMessageContaining("XX-QQ");
        assertThatThrownBy(() -> start(clock, "--ledger.jurisdictions.US-CA.fiscal-year-start=July"))
                .hasStackTraceContaining("fiscal-year-start");
        assertThatThrownBy(() -> start(clock, "--ledger.jurisdictions.US-CA.fiscal-year-begins=4"))
                .hasStackTraceContaining("fiscal-year-begins");
        assertThat(Jurisdiction.US_CA.fiscalYearStartMonth())
                .as("nothing installed")
                .isEqualTo(7);
    }

    private CommandGateway start(MutableClock clock, String... settings) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:file:"
                        + data.resolve("ledger-" + started.size() + "-" + System.nanoTime())
                                .toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000",
                "--spring.main.banner-mode=off"));
        arguments.addAll(List.of(settings));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments.toArray(String[]::new));
        started.add(context);
        return context.getBean(CommandGateway.class);
    }

    private static void launch(CommandGateway ledger) {
        ledger.sendAndWait(new LaunchProgram(
                PROGRAM,
                "California compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "US-CA",
                "Sacramento",
                CurrencyCode.USD,
                new VoucherSettings(
                        Ratio.of("0.30"),
                        usd("1000.00"),
                        usd("1000.00"),
                        365,
                        List.of("software"),
                        Payee.BENEFICIARY)));
        ledger.sendAndWait(new AppropriateFunds(PROGRAM, usd("100000.00"), "CA-2026"));
    }

    private static IssueVoucher issue(String voucherId) {
        return new IssueVoucher(
                PROGRAM,
                VoucherId.of(voucherId),
                new Beneficiary("CA-REG-1001", "Firm CA-REG-1001", "software", null),
                usd("1000.00"));
    }

    private static Money usd(String amount) {
        return Money.of(amount, CurrencyCode.USD);
    }

    private static RejectionCode rejection(Runnable command) {
        Throwable thrown = catchThrowable(command::run);
        assertThat(thrown).as("a rejection").isNotNull();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof LedgerRejection rejection) {
                return rejection.code();
            }
            if (t instanceof CommandExecutionException e
                    && e.getDetails().orElse(null) instanceof LedgerRejection rejection) {
                return rejection.code();
            }
        }
        throw new AssertionError("not a rejection: " + thrown, thrown);
    }
}
