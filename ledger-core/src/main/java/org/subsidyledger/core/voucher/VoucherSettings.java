package org.subsidyledger.core.voucher;

import java.util.List;
import java.util.TreeSet;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Sector;

/** The settings of a compute- or model-voucher program: its {@code rules} object in SPEC §2. */
public record VoucherSettings(
        Ratio coverageRatio,
        Money maxVoucherValue,
        Money capPerBeneficiaryPerYear,
        int validityDays,
        List<String> eligibleSectors,
        Payee payee,
        Money approvalThreshold)
        implements ProgramSettings {
    /** Ten years: no program runs vouchers longer, and it keeps expiry instants far from overflow. */
    public static final int MAX_VALIDITY_DAYS = 3650;

    public VoucherSettings {
        Rules.require(coverageRatio != null, RejectionCode.VALIDATION_FAILED, "rules.coverageRatio is required.");
        Rules.require(
                maxVoucherValue != null && maxVoucherValue.isPositive(),
                RejectionCode.VALIDATION_FAILED,
                "rules.maxVoucherValue must be a positive amount.");
        Rules.require(
                capPerBeneficiaryPerYear != null && capPerBeneficiaryPerYear.isPositive(),
                RejectionCode.VALIDATION_FAILED,
                "rules.capPerBeneficiaryPerYear must be a positive amount.");
        Rules.require(
                validityDays >= 1 && validityDays <= MAX_VALIDITY_DAYS,
                RejectionCode.VALIDATION_FAILED,
                "rules.validityDays must be between 1 and " + MAX_VALIDITY_DAYS + ".");
        Rules.require(
                eligibleSectors != null && !eligibleSectors.isEmpty(),
                RejectionCode.VALIDATION_FAILED,
                "rules.eligibleSectors must name at least one sector.");
        eligibleSectors.forEach(Sector::require);
        eligibleSectors = List.copyOf(new TreeSet<>(eligibleSectors));
        Rules.require(payee != null, RejectionCode.VALIDATION_FAILED, "rules.payee must be BENEFICIARY or PROVIDER.");
        ProgramSettings.requireThreshold(approvalThreshold);
    }

    /** Settings without an approval threshold of their own. */
    public VoucherSettings(
            Ratio coverageRatio,
            Money maxVoucherValue,
            Money capPerBeneficiaryPerYear,
            int validityDays,
            List<String> eligibleSectors,
            Payee payee) {
        this(coverageRatio, maxVoucherValue, capPerBeneficiaryPerYear, validityDays, eligibleSectors, payee, null);
    }

    @Override
    public VoucherSettings withApprovalThreshold(Money threshold) {
        return new VoucherSettings(
                coverageRatio,
                maxVoucherValue,
                capPerBeneficiaryPerYear,
                validityDays,
                eligibleSectors,
                payee,
                threshold);
    }

    @Override
    public List<Money> moneyFields() {
        return ProgramSettings.withThreshold(List.of(maxVoucherValue, capPerBeneficiaryPerYear), approvalThreshold);
    }
}
