package org.subsidyledger.core.support;

import static org.subsidyledger.core.support.TestData.ALIYUN;
import static org.subsidyledger.core.support.TestData.FIRM_A;
import static org.subsidyledger.core.support.TestData.MARCH_2026;
import static org.subsidyledger.core.support.TestData.firm;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * Builds the events of one program's stream for tests, with the program's header and settings filled in and
 * everything else defaulted to the common case, so a test names only what it is about:
 * {@code hangzhou().voucherIssued(V1).face("1000000.00").event()}.
 */
public final class ProgramEvents {
    private final ProgramHeader header;
    private final VoucherSettings voucherSettings;

    private ProgramEvents(ProgramLaunched launched) {
        this.header = launched.header();
        this.voucherSettings = launched.rules() instanceof VoucherSettings settings ? settings : null;
    }

    public static ProgramEvents of(ProgramLaunched launched) {
        return new ProgramEvents(launched);
    }

    /** Hangzhou compute vouchers: 30 %, paid to the beneficiary, valid 365 days. */
    public static ProgramEvents hangzhou() {
        return of(TestData.hangzhouLaunched());
    }

    /** Beijing model vouchers: 30 %, paid to the beneficiary, valid 365 days. */
    public static ProgramEvents beijingModel() {
        return of(TestData.beijingModelLaunched());
    }

    public ProgramHeader header() {
        return header;
    }

    public Money money(String amount) {
        return Money.of(amount, header.currency());
    }

    /** Funds appropriated in fiscal year 2026 on budget line 1. */
    public FundsAppropriated appropriated(String amount) {
        return new FundsAppropriated(header, money(amount), "budget-line-1", 2026);
    }

    public ProgramClosed closed(String reason) {
        return new ProgramClosed(header, reason);
    }

    /** A voucher issued at {@link TestData#MARCH_2026} in fiscal year 2026 to FIRM_A (software, no group). */
    public Issued voucherIssued(VoucherId voucherId) {
        return new Issued(voucherId);
    }

    /** A compute redemption with ALIYUN (group grp-cloud) on a voucher of FIRM_A without group. */
    public ComputeRedemption computeRedeemed(VoucherId voucherId, RedemptionId redemptionId) {
        return new ComputeRedemption(voucherId, redemptionId);
    }

    /** A settlement of a redemption with ALIYUN. */
    public RedemptionSettled settled(VoucherId voucherId, RedemptionId redemptionId, String amount, String paymentRef) {
        return new RedemptionSettled(
                header, voucherId, redemptionId, ALIYUN, voucherSettings.payee(), money(amount), paymentRef);
    }

    /** A revocation for fraud. */
    public VoucherRevoked revoked(VoucherId voucherId, String face, String redeemed, String released) {
        return new VoucherRevoked(header, voucherId, money(face), money(redeemed), money(released), "fraud");
    }

    public VoucherExpired expired(
            VoucherId voucherId, Instant expiresAt, String face, String redeemed, String released) {
        return new VoucherExpired(header, voucherId, expiresAt, money(face), money(redeemed), money(released));
    }

    /** A {@link VoucherIssued} under construction. */
    public final class Issued {
        private final VoucherId voucherId;
        private String beneficiaryId = FIRM_A;
        private String sector = "software";
        private String group;
        private Money face = money("1000000.00");
        private int fiscalYear = 2026;
        private Instant expiresAt;

        private Issued(VoucherId voucherId) {
            this.voucherId = voucherId;
            this.expiresAt = MARCH_2026.plus(Duration.ofDays(voucherSettings.validityDays()));
        }

        public Issued to(String beneficiaryId, String sector) {
            this.beneficiaryId = beneficiaryId;
            this.sector = sector;
            return this;
        }

        /** The group the beneficiary names and its cap counts under. */
        public Issued group(String group) {
            this.group = group;
            return this;
        }

        public Issued face(String amount) {
            this.face = money(amount);
            return this;
        }

        public Issued fiscalYear(int fiscalYear) {
            this.fiscalYear = fiscalYear;
            return this;
        }

        public Issued expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public VoucherIssued event() {
            Beneficiary beneficiary = firm(beneficiaryId, sector, group);
            return new VoucherIssued(
                    header,
                    voucherId,
                    beneficiary,
                    group,
                    face,
                    voucherSettings.coverageRatio(),
                    voucherSettings.payee(),
                    fiscalYear,
                    expiresAt);
        }
    }

    /** A {@link ComputeRedeemed} under construction: contract c-1, invoice inv-1 unless told otherwise. */
    public final class ComputeRedemption {
        private final VoucherId voucherId;
        private final RedemptionId redemptionId;
        private String contractRef = "c-1";
        private String invoiceRef = "inv-1";
        private Money invoiceAmount;
        private BigDecimal gpuHours;
        private Money subsidy;
        private Money remaining;

        private ComputeRedemption(VoucherId voucherId, RedemptionId redemptionId) {
            this.voucherId = voucherId;
            this.redemptionId = redemptionId;
        }

        public ComputeRedemption contract(String contractRef) {
            this.contractRef = contractRef;
            return this;
        }

        public ComputeRedemption invoice(String invoiceRef, String amount) {
            this.invoiceRef = invoiceRef;
            this.invoiceAmount = money(amount);
            return this;
        }

        public ComputeRedemption gpuHours(String hours) {
            this.gpuHours = new BigDecimal(hours);
            return this;
        }

        /** What the redemption paid and what the voucher has left after it. */
        public ComputeRedemption paying(String subsidy, String remaining) {
            this.subsidy = money(subsidy);
            this.remaining = money(remaining);
            return this;
        }

        public ComputeRedeemed event() {
            return new ComputeRedeemed(
                    header,
                    voucherId,
                    redemptionId,
                    FIRM_A,
                    null,
                    contractRef,
                    invoiceRef,
                    ALIYUN,
                    "grp-cloud",
                    invoiceAmount,
                    gpuHours,
                    voucherSettings.coverageRatio(),
                    subsidy,
                    remaining,
                    voucherSettings.payee());
        }
    }
}
