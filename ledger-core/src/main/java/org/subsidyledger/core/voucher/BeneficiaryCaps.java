package org.subsidyledger.core.voucher;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.References;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

/**
 * What {@code capPerBeneficiaryPerYear} counts in a program (SPEC §11): the gross face value issued per fiscal year to
 * each beneficiary, and the corporate groups its beneficiaries were recorded under, so that a group's members share
 * one cap.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class BeneficiaryCaps {
    /** Gross face value issued per (fiscal year, beneficiary id); revocation gives nothing back (SPEC §11). */
    private Map<String, Money> issuedPerBeneficiary = new HashMap<>();
    /** The beneficiary ids recorded under each corporate group in this program. */
    private Map<String, Set<String>> groupMembers = new HashMap<>();
    /** The first corporate group recorded for a beneficiary id in this program. */
    private Map<String, String> groupOfBeneficiary = new HashMap<>();

    void record(VoucherIssued issued) {
        issuedPerBeneficiary.merge(
                yearKey(issued.fiscalYear(), issued.beneficiary().id()), issued.faceValue(), Money::plus);
        if (issued.corporateGroup() != null) {
            groupOfBeneficiary.putIfAbsent(issued.beneficiary().id(), issued.corporateGroup());
            groupMembers
                    .computeIfAbsent(issued.corporateGroup(), g -> new HashSet<>())
                    .add(issued.beneficiary().id());
        }
    }

    /**
     * The group a beneficiary's cap counts under: the first group recorded for its id in the province (across all
     * programs, from the index), else the first in this program, else the one it names now, else none.
     */
    String groupOf(ProgramHeader program, Beneficiary beneficiary, LedgerIndex index) {
        return index.boundGroup(program.province(), beneficiary.id())
                .or(() -> Optional.ofNullable(groupOfBeneficiary.get(beneficiary.id())))
                .orElse(beneficiary.group());
    }

    /**
     * Face value issued by this program in a fiscal year to a beneficiary, or — when it belongs to a group — to every
     * USCC bound to that group in the province (in this program or any other), counting what members received before
     * they were bound. A firm therefore cannot escape its cap by naming a group on a later voucher, nor a group by
     * binding its members through another program.
     */
    Money issuedInYear(ProgramHeader program, int fiscalYear, String beneficiaryId, String group, LedgerIndex index) {
        Set<String> members = new HashSet<>();
        if (group != null) {
            members.addAll(groupMembers.getOrDefault(group, Set.of()));
            // Members bound to the group through a voucher of another program of the province count too (SPEC §11).
            members.addAll(index.groupMembers(program.province(), group));
        }
        members.add(beneficiaryId);
        return members.stream()
                .map(id -> issuedPerBeneficiary.getOrDefault(yearKey(fiscalYear, id), program.zero()))
                .reduce(program.zero(), Money::plus);
    }

    private static String yearKey(int fiscalYear, String beneficiaryId) {
        return References.composite(fiscalYear, beneficiaryId);
    }
}
