package org.subsidyledger.core.alert;

import static org.subsidyledger.core.support.TestData.firm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * A scripted log for the alert engine: each call appends one entry at the instant given (global indexes count up from
 * 0) and answers the transitions it caused. {@link #tick} appends an entry the engine does not know, standing for the
 * daily seal.
 */
final class AlertHistory {
    /** Stands for a seal entry written by another feature: unknown to the engine, it only advances time. */
    record LedgerSealed(long upTo) {}

    final AlertEngine engine;
    /** The transitions of the watched codes, in order. */
    final List<AlertTransition> all = new ArrayList<>();

    private final Set<AlertCode> watched;
    private long index;

    /** A log whose answers show the transitions of {@code watched} codes only (every code if none are given). */
    AlertHistory(AlertThresholds thresholds, AlertCode... watched) {
        engine = new AlertEngine(thresholds);
        this.watched = watched.length == 0 ? EnumSet.allOf(AlertCode.class) : EnumSet.copyOf(List.of(watched));
    }

    AlertHistory(AlertCode... watched) {
        this(AlertThresholds.spec(), watched);
    }

    List<AlertTransition> at(String instant, Object payload) {
        List<AlertTransition> transitions = engine.apply(index++, Instant.parse(instant), payload).stream()
                .filter(t -> watched.contains(t.alert().code()))
                .toList();
        all.addAll(transitions);
        return transitions;
    }

    List<AlertTransition> tick(String instant) {
        return at(instant, new LedgerSealed(index));
    }

    /** Events of one program, as its aggregate would have written them. */
    record Program(ProgramLaunched launched) {
        Money money(String amount) {
            return Money.of(amount, launched.currency());
        }

        FundsAppropriated appropriate(String amount, int fiscalYear) {
            return new FundsAppropriated(
                    launched.programId(),
                    launched.province(),
                    launched.city(),
                    launched.programKind(),
                    launched.currency(),
                    money(amount),
                    "line-" + amount,
                    fiscalYear);
        }

        FundsRescinded rescind(String amount, int fiscalYear) {
            return new FundsRescinded(
                    launched.programId(),
                    launched.province(),
                    launched.city(),
                    launched.programKind(),
                    launched.currency(),
                    money(amount),
                    "cut",
                    fiscalYear);
        }

        VoucherIssued issue(String voucher, String uscc, String group, String face, String expiresAt) {
            return new VoucherIssued(
                    launched.programId(),
                    launched.province(),
                    launched.city(),
                    launched.programKind(),
                    launched.currency(),
                    VoucherId.of(voucher),
                    firm(uscc, "software", group),
                    group,
                    money(face),
                    Ratio.of("0.30"),
                    Payee.BENEFICIARY,
                    2026,
                    Instant.parse(expiresAt));
        }

        ComputeRedeemed redeem(
                String voucher,
                String redemption,
                String uscc,
                String group,
                String provider,
                String providerGroup,
                String subsidy,
                String remaining) {
            return new ComputeRedeemed(
                    launched.programId(),
                    launched.province(),
                    launched.city(),
                    launched.programKind(),
                    launched.currency(),
                    VoucherId.of(voucher),
                    RedemptionId.of(redemption),
                    uscc,
                    group,
                    "contract-" + redemption,
                    "invoice-" + redemption,
                    ProviderId.of(provider),
                    providerGroup,
                    money(subsidy),
                    null,
                    Ratio.of("1.0"),
                    money(subsidy),
                    money(remaining),
                    Payee.BENEFICIARY);
        }

        RedemptionSettled settle(String voucher, String redemption, String provider, String amount) {
            return new RedemptionSettled(
                    launched.programId(),
                    launched.province(),
                    launched.city(),
                    launched.programKind(),
                    launched.currency(),
                    VoucherId.of(voucher),
                    RedemptionId.of(redemption),
                    ProviderId.of(provider),
                    Payee.BENEFICIARY,
                    money(amount),
                    "pay-" + redemption);
        }

        VoucherRevoked revoke(String voucher, String face, String redeemed, String released) {
            return new VoucherRevoked(
                    launched.programId(),
                    launched.province(),
                    launched.city(),
                    launched.programKind(),
                    launched.currency(),
                    VoucherId.of(voucher),
                    money(face),
                    money(redeemed),
                    money(released),
                    "withdrawn");
        }

        VoucherExpired expire(String voucher, String expiresAt, String face, String redeemed, String released) {
            return new VoucherExpired(
                    launched.programId(),
                    launched.province(),
                    launched.city(),
                    launched.programKind(),
                    launched.currency(),
                    VoucherId.of(voucher),
                    Instant.parse(expiresAt),
                    money(face),
                    money(redeemed),
                    money(released));
        }
    }
}
