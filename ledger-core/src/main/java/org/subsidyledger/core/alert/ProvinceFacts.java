package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.ModelAccessRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;

/** What the province rules read about one province in one currency (SPEC §11: province rules work per currency). */
final class ProvinceFacts {
    final String province;
    final CurrencyCode currency;
    final Jurisdiction jurisdiction;
    final AlertScope scope;
    final AlertThresholds.Limits limits;
    final List<ProgramFacts> programs = new ArrayList<>();
    /** Appropriations net of rescissions, by the fiscal year each was made in. */
    final Map<Integer, BigDecimal> appropriatedByYear = new HashMap<>();
    /** Voucher subsidies redeemed, by the beneficiary's corporate group (its USCC where it has none). */
    final Shares byBeneficiaryGroup = new Shares();

    BigDecimal redeemedTotal = BigDecimal.ZERO;
    int redemptionCount;

    ProvinceFacts(String province, CurrencyCode currency, AlertThresholds.Limits limits) {
        this.province = province;
        this.currency = currency;
        this.jurisdiction = Jurisdiction.parse(province);
        this.scope = AlertScope.province(province, currency);
        this.limits = limits;
    }

    void apply(ProgramStreamEvent event) {
        if (event instanceof FundsAppropriated a) {
            appropriatedByYear.merge(a.fiscalYear(), a.amount().amount(), BigDecimal::add);
        } else if (event instanceof FundsRescinded r) {
            appropriatedByYear.merge(r.fiscalYear(), r.amount().amount().negate(), BigDecimal::add);
        } else if (event instanceof Redeemed r) {
            String group = beneficiaryGroup(r);
            byBeneficiaryGroup.add(group, r.subsidy().amount());
            redeemedTotal = redeemedTotal.add(r.subsidy().amount());
            redemptionCount++;
        }
    }

    /** The corporate group a redemption's beneficiary is counted under (SPEC §11), else its USCC. */
    private static String beneficiaryGroup(Redeemed redeemed) {
        String group;
        String beneficiary;
        if (redeemed instanceof ComputeRedeemed c) {
            group = c.corporateGroup();
            beneficiary = c.beneficiaryId();
        } else {
            ModelAccessRedeemed m = (ModelAccessRedeemed) redeemed;
            group = m.corporateGroup();
            beneficiary = m.beneficiaryId();
        }
        return group != null ? group : beneficiary;
    }

    BigDecimal appropriatedIn(int fiscalYear) {
        return appropriatedByYear.getOrDefault(fiscalYear, BigDecimal.ZERO);
    }

    /** Σ appropriated of the province's programs in this currency. */
    Money appropriated() {
        return programs.stream().map(p -> p.budget.appropriated()).reduce(Money.zero(currency), Money::plus);
    }

    Money committed() {
        return programs.stream().map(ProgramFacts::committed).reduce(Money.zero(currency), Money::plus);
    }

    Money disbursed() {
        return programs.stream().map(p -> p.budget.disbursed()).reduce(Money.zero(currency), Money::plus);
    }
}
