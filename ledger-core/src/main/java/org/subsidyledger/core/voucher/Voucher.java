package org.subsidyledger.core.voucher;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * The state of one voucher inside its program. It only evolves from events ({@link #evolve}) and answers the
 * questions the program's command handlers ask; it never decides on its own, so the program stays the single
 * consistency boundary for the budget.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Voucher {
    private VoucherId voucherId;
    private ProgramKind kind;
    private Beneficiary beneficiary;
    private String corporateGroup;
    private Money faceValue;
    private Ratio coverageRatio;
    private Instant expiresAt;
    private Money redeemed;
    private Money released;
    private boolean expired;
    private boolean revoked;
    private Map<RedemptionId, RedemptionState> redemptions = new LinkedHashMap<>();

    private Voucher() {}

    public static Voucher issued(VoucherIssued event) {
        Voucher voucher = new Voucher();
        voucher.voucherId = event.voucherId();
        voucher.kind = event.programKind();
        voucher.beneficiary = event.beneficiary();
        voucher.corporateGroup = event.corporateGroup();
        voucher.faceValue = event.faceValue();
        voucher.coverageRatio = event.coverageRatio();
        voucher.expiresAt = event.expiresAt();
        voucher.redeemed = Money.zero(event.currency());
        voucher.released = Money.zero(event.currency());
        return voucher;
    }

    /** Assigns the effect of one of this voucher's events; never throws. */
    public void evolve(VoucherEvent event) {
        if (event instanceof Redeemed r) {
            redeemed = redeemed.plus(r.subsidy());
            redemptions.put(r.redemptionId(), new RedemptionState(r.providerId(), r.subsidy(), false));
        } else if (event instanceof RedemptionSettled s) {
            redemptions.computeIfPresent(
                    s.redemptionId(), (id, state) -> new RedemptionState(state.providerId(), state.subsidy(), true));
        } else if (event instanceof VoucherRevoked r) {
            revoked = true;
            released = released.plus(r.released());
        } else if (event instanceof VoucherExpired e) {
            expired = true;
            released = released.plus(e.released());
        }
    }

    /** Value still available to redeem: zero once the voucher has ended by expiry or revocation. */
    public Money remaining() {
        return faceValue.minus(redeemed).minus(released);
    }

    public VoucherStatus status() {
        if (revoked) {
            return VoucherStatus.REVOKED;
        }
        if (expired) {
            return VoucherStatus.EXPIRED;
        }
        return remaining().isZero() ? VoucherStatus.EXHAUSTED : VoucherStatus.ACTIVE;
    }

    /** Expired by time, whether or not the {@code VoucherExpired} event has been appended yet (SPEC §11). */
    public boolean isExpiredAt(Instant now) {
        return expired || !now.isBefore(expiresAt);
    }

    /** Whether an expiry is due: the voucher still holds value and its time has come. */
    public boolean expiryDue(Instant now) {
        return !revoked && !expired && !now.isBefore(expiresAt) && !remaining().isZero();
    }

    /** The subsidy of an invoice: its covered share rounded half-up to the cent, at most the remaining value. */
    public Money subsidyFor(Money invoiceAmount) {
        return invoiceAmount.times(coverageRatio).min(remaining());
    }

    public VoucherId voucherId() {
        return voucherId;
    }

    public ProgramKind kind() {
        return kind;
    }

    public Beneficiary beneficiary() {
        return beneficiary;
    }

    public String corporateGroup() {
        return corporateGroup;
    }

    public Money faceValue() {
        return faceValue;
    }

    public Money redeemed() {
        return redeemed;
    }

    public Money released() {
        return released;
    }

    public Ratio coverageRatio() {
        return coverageRatio;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public boolean hasRedemption(RedemptionId redemptionId) {
        return redemptions.containsKey(redemptionId);
    }

    /** Redemptions in the order they were made. */
    public Map<RedemptionId, RedemptionState> redemptions() {
        return Collections.unmodifiableMap(redemptions);
    }

    public RedemptionState redemption(RedemptionId redemptionId) {
        return redemptions.get(redemptionId);
    }

    /** What the program needs to know about a redemption to settle it. */

    /** Equal when every field is: the state rebuilt from events must equal the state a command left behind. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Voucher that
                && Objects.equals(voucherId, that.voucherId)
                && Objects.equals(kind, that.kind)
                && Objects.equals(beneficiary, that.beneficiary)
                && Objects.equals(corporateGroup, that.corporateGroup)
                && Objects.equals(faceValue, that.faceValue)
                && Objects.equals(coverageRatio, that.coverageRatio)
                && Objects.equals(expiresAt, that.expiresAt)
                && Objects.equals(redeemed, that.redeemed)
                && Objects.equals(released, that.released)
                && Objects.equals(expired, that.expired)
                && Objects.equals(revoked, that.revoked)
                && Objects.equals(redemptions, that.redemptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                voucherId,
                kind,
                beneficiary,
                corporateGroup,
                faceValue,
                coverageRatio,
                expiresAt,
                redeemed,
                released,
                expired,
                revoked,
                redemptions);
    }

    public record RedemptionState(ProviderId providerId, Money subsidy, boolean settled) {}
}
