package org.subsidyledger.api.kafka;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.LapseHousingMonths;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.housing.RecipientCategory;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.CloseProgram;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.program.approval.ApprovalCommands.ApproveRequest;
import org.subsidyledger.core.program.approval.ApprovalCommands.RejectRequest;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.registry.RegistryCommands.DeregisterModel;
import org.subsidyledger.core.registry.RegistryCommands.RegisterModel;
import org.subsidyledger.core.registry.RegistryCommands.WithdrawAccreditation;
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

/** Commands that append every public event type of SPEC §3 at least once, with hand-picked, valid data. */
final class LedgerScenario {
    static final Instant START = Instant.parse("2026-03-10T02:00:00Z");
    static final ProgramId HANGZHOU = ProgramId.of("zj-hangzhou-compute-2026");
    static final ProgramId BEIJING = ProgramId.of("bj-model-2026");
    static final ProgramId ZHUHAI = ProgramId.of("gd-zhuhai-housing-2026");
    static final ProviderId ALIYUN = ProviderId.of("aliyun-hz");
    static final ProviderId ZHIPU = ProviderId.of("zhipu-bj");
    static final FilingNo GLM = FilingNo.of("Beijing-GLM-20230001");
    static final GrantId G1 = GrantId.of("zh-g-1");

    private LedgerScenario() {}

    /** A Zhejiang compute-voucher program with Hangzhou's settings and no funds yet: one event. */
    static void launchComputeProgram(KafkaLedger ledger, ProgramId program) {
        ledger.send(hangzhouCompute(program, "Compute " + program.value(), List.of("software")));
    }

    /** Launches a Zhejiang compute-voucher program with Hangzhou's settings for these sectors. */
    private static LaunchProgram hangzhouCompute(ProgramId program, String name, List<String> sectors) {
        return new LaunchProgram(
                program,
                name,
                ProgramKind.COMPUTE_VOUCHER,
                "CN-ZJ",
                "Hangzhou",
                CurrencyCode.CNY,
                new VoucherSettings(
                        Ratio.of("0.30"), cny("8000000.00"), cny("8000000.00"), 365, sectors, Payee.BENEFICIARY));
    }

    /** Registries and three programs: 9 events. */
    static void setUp(KafkaLedger ledger) {
        ledger.send(new AccreditProvider(
                ALIYUN, "Alibaba Cloud", uscc("91330100MA2C0000"), ProviderKind.COMPUTE, "grp-cloud", null));
        ledger.send(new AccreditProvider(
                ZHIPU, "Zhipu AI", uscc("91110108MA0100002"), ProviderKind.MODEL_VENDOR, null, null));
        ledger.send(new RegisterModel(GLM, "GLM-4", ZHIPU));
        ledger.send(hangzhouCompute(HANGZHOU, "Hangzhou compute vouchers", List.of("software", "research")));
        ledger.send(new AppropriateFunds(HANGZHOU, cny("250000000.00"), "HZ-2026-compute-pool"));
        ledger.send(new LaunchProgram(
                BEIJING,
                "Beijing model vouchers",
                ProgramKind.MODEL_VOUCHER,
                "CN-BJ",
                null,
                CurrencyCode.CNY,
                new VoucherSettings(
                        Ratio.of("0.20"),
                        cny("2000000.00"),
                        cny("2000000.00"),
                        30,
                        List.of("software", "healthcare"),
                        Payee.PROVIDER)));
        ledger.send(new AppropriateFunds(BEIJING, cny("5000000.00"), "BJ-2026-models"));
        ledger.send(new LaunchProgram(
                ZHUHAI,
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
                        24)));
        ledger.send(new AppropriateFunds(ZHUHAI, cny("3000000.00"), "ZH-2026-housing"));
    }

    /**
     * Every other public event: vouchers of both kinds issued, redeemed, settled, revoked and expired; a housing grant
     * paid, lapsed and terminated; a rescission, a closure, a withdrawal and a deregistration; an approval
     * request approved and one rejected. Moves the clock 150 days.
     */
    static void everyOtherEvent(KafkaLedger ledger, MutableClock clock) {
        VoucherId v1 = VoucherId.of("hz-v-1");
        VoucherId v2 = VoucherId.of("hz-v-2");
        VoucherId m1 = VoucherId.of("bj-m-1");
        ledger.send(new IssueVoucher(
                HANGZHOU,
                v1,
                new Beneficiary(uscc("91330106MA27XK1A0"), "Hangzhou Robotics", "software", "grp-robotics"),
                cny("1000000.00")));
        ledger.send(new RedeemCompute(
                HANGZHOU,
                v1,
                RedemptionId.of("r1"),
                "HZ-C-1",
                "INV-1",
                ALIYUN,
                cny("333.35"),
                new BigDecimal("120.5")));
        ledger.send(new SettleRedemption(HANGZHOU, v1, RedemptionId.of("r1"), "PAY-1"));
        ledger.send(new IssueVoucher(
                HANGZHOU,
                v2,
                new Beneficiary(uscc("91330106MA27XK2B0"), "West Lake Data", "research", null),
                cny("50000.00")));
        ledger.send(new RevokeVoucher(HANGZHOU, v2, "The firm left the program."));
        ledger.send(new IssueVoucher(
                BEIJING,
                m1,
                new Beneficiary(uscc("91110105MA01ABC30"), "Haidian Health AI", "healthcare", null),
                cny("200000.00")));
        ledger.send(new RedeemModelAccess(
                BEIJING,
                m1,
                RedemptionId.of("r2"),
                "BJ-C-1",
                "INV-2",
                ZHIPU,
                GLM,
                cny("10000.00"),
                ModelUsage.API_ACCESS));
        ledger.send(new GrantHousingSubsidy(
                ZHUHAI,
                G1,
                new Recipient("talent-001", RecipientCategory.GRADUATE),
                YearMonth.of(2026, 3),
                cny("4000.00")));
        ledger.send(new ClaimHousingSubsidy(ZHUHAI, G1, YearMonth.of(2026, 3), cny("4000.00"), "LEASE-1"));

        // 150 days on: the 30-day model voucher has expired; April's claim window (3 months) has closed.
        clock.advance(Duration.ofDays(150));
        sendDue(ledger, new ExpireVoucher(BEIJING, m1), "VoucherExpired");
        sendDue(ledger, new LapseHousingMonths(ZHUHAI, G1), "HousingMonthsLapsed");
        ledger.send(new TerminateHousingGrant(ZHUHAI, G1, "Moved away from Zhuhai.", YearMonth.of(2026, 9)));
        ledger.send(new RescindFunds(HANGZHOU, cny("1000000.00"), "Reallocated to the model program."));
        fourEyes(ledger);
        ledger.send(new CloseProgram(ZHUHAI, "The 2026 scheme ended."));
        ledger.send(new WithdrawAccreditation(ALIYUN, "Licence lapsed."));
        ledger.send(new DeregisterModel(GLM, "Withdrawn by the vendor."));
    }

    /**
     * A Zhejiang program whose appropriations of 1,000,000.00 or more need a second person: one request approved (its
     * appropriation follows the grant), one rejected.
     */
    private static void fourEyes(KafkaLedger ledger) {
        ProgramId program = ProgramId.of("zj-four-eyes-2026");
        ledger.send(new LaunchProgram(
                program,
                "Hangzhou compute vouchers, four eyes",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-ZJ",
                "Hangzhou",
                CurrencyCode.CNY,
                new VoucherSettings(
                        Ratio.of("0.30"),
                        cny("8000000.00"),
                        cny("8000000.00"),
                        365,
                        List.of("software"),
                        Payee.BENEFICIARY,
                        cny("1000000.00"))));
        ApprovalRequested approved =
                ledger.send(new AppropriateFunds(program, cny("2000000.00"), "ZJ-2026-4E-1"), "officer-cn-zj");
        ledger.send(new ApproveRequest(program, approved.requestId(), "national"), "national");
        ApprovalRequested rejected =
                ledger.send(new RescindFunds(program, cny("1500000.00"), "Moved to housing."), "officer-cn-zj");
        ledger.send(new RejectRequest(program, rejected.requestId(), "national", "Not this quarter."), "national");
    }

    /**
     * Expiry and lapse are also swept by the ledger itself (ExpirySweeper), which may get there first or race this
     * command; either way the event must end up in the log exactly once.
     */
    private static void sendDue(KafkaLedger ledger, Object command, String event) {
        try {
            ledger.send(command);
        } catch (RuntimeException e) {
            // lost a race with the sweeper; the check below decides
        }
        KafkaLedger.await(event + " in the log", Duration.ofSeconds(10), () -> countOf(ledger, event) == 1);
    }

    static long countOf(KafkaLedger ledger, String eventName) {
        Long count = ledger.jdbc.queryForObject(
                "SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE ?", Long.class, "%$" + eventName);
        return count == null ? 0 : count;
    }

    static Money cny(String amount) {
        return Money.of(amount, CurrencyCode.CNY);
    }

    /** A valid USCC from its first 17 characters (or a shorter stem padded with zeros). */
    static String uscc(String first) {
        String first17 = (first + "00000000000000000").substring(0, 17);
        return first17 + Uscc.checkCharacter(first17);
    }
}
