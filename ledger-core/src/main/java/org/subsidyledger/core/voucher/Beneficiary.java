package org.subsidyledger.core.voucher;

import org.subsidyledger.core.shared.Sector;
import org.subsidyledger.core.shared.Text;

/**
 * The firm a voucher is issued to. {@code id} is a USCC for Chinese jurisdictions (checked where the jurisdiction
 * is known, at issue); {@code group} is an optional corporate-group id under which caps are counted.
 */
public record Beneficiary(String id, String name, String sector, String group) {
    public Beneficiary {
        Text.requireId(id, "beneficiary.id");
        Text.requireText(name, "beneficiary.name");
        Sector.require(sector);
        if (group != null) {
            Text.requireId(group, "beneficiary.group");
        }
    }
}
