package org.subsidyledger.core.support;

import java.time.Instant;
import java.util.List;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.housing.RecipientCategory;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * Shared test data: real programs of shared/scenarios/programs.json (Hangzhou compute vouchers, Beijing model
 * vouchers, Zhuhai housing), valid USCCs, and the events that set them up.
 */
public final class TestData {
    /** 2026-03-01T00:00 in Asia/Shanghai. */
    public static final Instant MARCH_2026 = Instant.parse("2026-02-28T16:00:00Z");

    public static final ProgramId HANGZHOU = ProgramId.of("zj-hangzhou-compute-2026");
    public static final ProgramId BJ_MODEL = ProgramId.of("bj-model-2025");
    public static final ProgramId ZHUHAI = ProgramId.of("gd-zhuhai-housing-2026");

    /** What the events of these programs say about them (their headers). */
    public static final ProgramHeader HANGZHOU_HEADER = hangzhouLaunched().header();

    public static final ProgramHeader BJ_MODEL_HEADER = beijingModelLaunched().header();
    public static final ProgramHeader ZHUHAI_HEADER = zhuhaiLaunched(null).header();

    /** Beneficiary firms (valid USCCs) and providers (valid USCCs). */
    public static final String FIRM_A = uscc("91330100MA2B00001");

    public static final String FIRM_B = uscc("91330100MA2B00002");
    public static final String FIRM_C = uscc("91330100MA2B00003");
    public static final String PROVIDER_USCC = uscc("91330100MA2C00009");
    public static final String VENDOR_USCC = uscc("91110000MA0100008");

    public static final ProviderId ALIYUN = ProviderId.of("prov-compute-1");
    /** ALIYUN's legal identity, on which its invoices are keyed. */
    public static final String ALIYUN_IDENTITY = LedgerIndex.ProviderRecord.legalIdentity("CN", PROVIDER_USCC);

    public static final ProviderId VENDOR = ProviderId.of("prov-model-1");
    public static final FilingNo MODEL = FilingNo.of("Beijing-Model-20240001");

    public static final VoucherId V1 = VoucherId.of("v-1");
    public static final VoucherId V2 = VoucherId.of("v-2");
    public static final RedemptionId R1 = RedemptionId.of("r-1");
    public static final RedemptionId R2 = RedemptionId.of("r-2");
    public static final GrantId G1 = GrantId.of("g-1");
    public static final GrantId G2 = GrantId.of("g-2");

    private TestData() {}

    /** A valid USCC: the 17 characters given plus their GB 32100-2015 check character. */
    public static String uscc(String first17) {
        return first17 + Uscc.checkCharacter(first17);
    }

    public static Money cny(String amount) {
        return Money.of(amount, CurrencyCode.CNY);
    }

    public static Money usd(String amount) {
        return Money.of(amount, CurrencyCode.USD);
    }

    /** Hangzhou: 30 % coverage, at most 8M per voucher and per firm a year, 365 days, paid to the beneficiary. */
    public static VoucherSettings hangzhouRules() {
        return new VoucherSettings(
                Ratio.of("0.30"),
                cny("8000000.00"),
                cny("8000000.00"),
                365,
                List.of("software", "manufacturing", "research", "healthcare", "finance", "education"),
                Payee.BENEFICIARY);
    }

    /** Beijing compute: 20 % coverage, 2M per voucher and per firm a year. */
    public static VoucherSettings beijingComputeRules() {
        return new VoucherSettings(
                Ratio.of("0.20"),
                cny("2000000.00"),
                cny("2000000.00"),
                365,
                List.of("software", "manufacturing"),
                Payee.BENEFICIARY);
    }

    /** Beijing model vouchers: 30 %, 1M per voucher, 2M per firm a year. */
    public static VoucherSettings beijingModelRules() {
        return new VoucherSettings(
                Ratio.of("0.30"),
                cny("1000000.00"),
                cny("2000000.00"),
                365,
                List.of("education", "healthcare", "finance", "media", "industry"),
                Payee.BENEFICIARY);
    }

    /** Zhuhai: free first year, 70 % off the second, 50 % off the third; capped at 120,000 CNY per recipient. */
    public static HousingSettings zhuhaiRules(Integer serviceMonths) {
        return new HousingSettings(
                List.of(Ratio.of("1.0"), Ratio.of("0.7"), Ratio.of("0.5")),
                cny("5000.00"),
                cny("120000.00"),
                3,
                serviceMonths);
    }

    public static ProgramLaunched hangzhouLaunched() {
        return new ProgramLaunched(
                HANGZHOU,
                "Hangzhou compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-ZJ",
                "Hangzhou",
                CurrencyCode.CNY,
                hangzhouRules());
    }

    /** Hangzhou with tighter caps: 30 %, at most 1,000,000.00 a voucher and 1,500,000.00 a firm or group a year. */
    public static ProgramLaunched cappedHangzhouLaunched() {
        return new ProgramLaunched(
                HANGZHOU,
                "Hangzhou compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-ZJ",
                "Hangzhou",
                CurrencyCode.CNY,
                new VoucherSettings(
                        Ratio.of("0.30"),
                        cny("1000000.00"),
                        cny("1500000.00"),
                        365,
                        List.of("software", "manufacturing"),
                        Payee.BENEFICIARY));
    }

    public static ProgramLaunched beijingModelLaunched() {
        return new ProgramLaunched(
                BJ_MODEL,
                "Beijing model vouchers",
                ProgramKind.MODEL_VOUCHER,
                "CN-BJ",
                null,
                CurrencyCode.CNY,
                beijingModelRules());
    }

    public static ProgramLaunched zhuhaiLaunched(Integer serviceMonths) {
        return new ProgramLaunched(
                ZHUHAI,
                "Zhuhai talent housing",
                ProgramKind.HOUSING_SUBSIDY,
                "CN-GD",
                "Zhuhai",
                CurrencyCode.CNY,
                zhuhaiRules(serviceMonths));
    }

    public static FundsAppropriated appropriated(ProgramLaunched program, String amount) {
        return new FundsAppropriated(
                program.programId(),
                program.province(),
                program.city(),
                program.programKind(),
                program.currency(),
                Money.of(amount, program.currency()),
                "budget-line-1",
                2026);
    }

    public static Beneficiary firm(String uscc, String sector, String group) {
        return new Beneficiary(uscc, "Firm " + uscc.substring(10), sector, group);
    }

    public static Recipient talent(String personRef) {
        return new Recipient(personRef, RecipientCategory.GRADUATE);
    }

    /** An index where the compute provider, the model vendor and the model are accredited/registered. */
    public static TestLedgerIndex registries() {
        return new TestLedgerIndex()
                .accredit(ALIYUN, ProviderKind.COMPUTE, PROVIDER_USCC, "grp-cloud")
                .accredit(VENDOR, ProviderKind.MODEL_VENDOR, VENDOR_USCC, "grp-models")
                .register(MODEL, VENDOR);
    }
}
