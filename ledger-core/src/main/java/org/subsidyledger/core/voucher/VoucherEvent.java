package org.subsidyledger.core.voucher;

import java.math.BigDecimal;
import java.time.Instant;
import org.axonframework.serialization.Revision;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;

/** The public events of a voucher's life. Names and fields are part of the published contract (SPEC §3, §7). */
public sealed interface VoucherEvent extends ProgramStreamEvent {
    VoucherId voucherId();

    /**
     * A voucher was issued; {@code faceValue} is committed from the program budget. {@code corporateGroup} is the
     * group the beneficiary's cap is counted under (the first one recorded for its USCC in the province), and
     * {@code fiscalYear} the fiscal year of issue that cap belongs to.
     */
    @Revision("1")
    record VoucherIssued(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            VoucherId voucherId,
            Beneficiary beneficiary,
            String corporateGroup,
            Money faceValue,
            Ratio coverageRatio,
            Payee payee,
            int fiscalYear,
            Instant expiresAt)
            implements VoucherEvent {
        /** Built from its program's header. */
        public VoucherIssued(
                ProgramHeader program,
                VoucherId voucherId,
                Beneficiary beneficiary,
                String corporateGroup,
                Money faceValue,
                Ratio coverageRatio,
                Payee payee,
                int fiscalYear,
                Instant expiresAt) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    voucherId,
                    beneficiary,
                    corporateGroup,
                    faceValue,
                    coverageRatio,
                    payee,
                    fiscalYear,
                    expiresAt);
        }
    }

    /** What both kinds of redemption carry. */
    sealed interface Redeemed extends VoucherEvent permits ComputeRedeemed, ModelAccessRedeemed {
        RedemptionId redemptionId();

        String contractRef();

        String invoiceRef();

        ProviderId providerId();

        String providerGroup();

        Money invoiceAmount();

        Ratio coverageRatio();

        Money subsidy();

        Money remaining();
    }

    /** {@code subsidy = min(round_half_up(invoiceAmount × coverageRatio, 2), remaining before)}. */
    @Revision("1")
    record ComputeRedeemed(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            VoucherId voucherId,
            RedemptionId redemptionId,
            String beneficiaryId,
            String corporateGroup,
            String contractRef,
            String invoiceRef,
            ProviderId providerId,
            String providerGroup,
            Money invoiceAmount,
            BigDecimal gpuHours,
            Ratio coverageRatio,
            Money subsidy,
            Money remaining,
            Payee payee)
            implements Redeemed {
        /** Built from its program's header. */
        public ComputeRedeemed(
                ProgramHeader program,
                VoucherId voucherId,
                RedemptionId redemptionId,
                String beneficiaryId,
                String corporateGroup,
                String contractRef,
                String invoiceRef,
                ProviderId providerId,
                String providerGroup,
                Money invoiceAmount,
                BigDecimal gpuHours,
                Ratio coverageRatio,
                Money subsidy,
                Money remaining,
                Payee payee) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    voucherId,
                    redemptionId,
                    beneficiaryId,
                    corporateGroup,
                    contractRef,
                    invoiceRef,
                    providerId,
                    providerGroup,
                    invoiceAmount,
                    gpuHours,
                    coverageRatio,
                    subsidy,
                    remaining,
                    payee);
        }
    }

    @Revision("1")
    record ModelAccessRedeemed(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            VoucherId voucherId,
            RedemptionId redemptionId,
            String beneficiaryId,
            String corporateGroup,
            String contractRef,
            String invoiceRef,
            ProviderId providerId,
            String providerGroup,
            FilingNo filingNo,
            ModelUsage usage,
            Money invoiceAmount,
            Ratio coverageRatio,
            Money subsidy,
            Money remaining,
            Payee payee)
            implements Redeemed {
        /** Built from its program's header. */
        public ModelAccessRedeemed(
                ProgramHeader program,
                VoucherId voucherId,
                RedemptionId redemptionId,
                String beneficiaryId,
                String corporateGroup,
                String contractRef,
                String invoiceRef,
                ProviderId providerId,
                String providerGroup,
                FilingNo filingNo,
                ModelUsage usage,
                Money invoiceAmount,
                Ratio coverageRatio,
                Money subsidy,
                Money remaining,
                Payee payee) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    voucherId,
                    redemptionId,
                    beneficiaryId,
                    corporateGroup,
                    contractRef,
                    invoiceRef,
                    providerId,
                    providerGroup,
                    filingNo,
                    usage,
                    invoiceAmount,
                    coverageRatio,
                    subsidy,
                    remaining,
                    payee);
        }
    }

    /** A redemption's subsidy was paid out: payable becomes paid. */
    @Revision("1")
    record RedemptionSettled(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            VoucherId voucherId,
            RedemptionId redemptionId,
            ProviderId providerId,
            Payee payee,
            Money amount,
            String paymentRef)
            implements VoucherEvent {
        /** Built from its program's header. */
        public RedemptionSettled(
                ProgramHeader program,
                VoucherId voucherId,
                RedemptionId redemptionId,
                ProviderId providerId,
                Payee payee,
                Money amount,
                String paymentRef) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    voucherId,
                    redemptionId,
                    providerId,
                    payee,
                    amount,
                    paymentRef);
        }
    }

    /** A voucher was revoked; its unused value {@code released} goes back to the program budget. */
    @Revision("1")
    record VoucherRevoked(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            VoucherId voucherId,
            Money faceValue,
            Money redeemed,
            Money released,
            String reason)
            implements VoucherEvent {
        /** Built from its program's header. */
        public VoucherRevoked(
                ProgramHeader program,
                VoucherId voucherId,
                Money faceValue,
                Money redeemed,
                Money released,
                String reason) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    voucherId,
                    faceValue,
                    redeemed,
                    released,
                    reason);
        }
    }

    /** A voucher reached {@code expiresAt}; its unused value {@code released} goes back to the program budget. */
    @Revision("1")
    record VoucherExpired(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            VoucherId voucherId,
            Instant expiresAt,
            Money faceValue,
            Money redeemed,
            Money released)
            implements VoucherEvent {
        /** Built from its program's header. */
        public VoucherExpired(
                ProgramHeader program,
                VoucherId voucherId,
                Instant expiresAt,
                Money faceValue,
                Money redeemed,
                Money released) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    voucherId,
                    expiresAt,
                    faceValue,
                    redeemed,
                    released);
        }
    }
}
