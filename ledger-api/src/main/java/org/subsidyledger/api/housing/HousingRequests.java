package org.subsidyledger.api.housing;

import org.subsidyledger.api.command.Ids;
import org.subsidyledger.api.http.Enums;
import org.subsidyledger.api.http.MoneyJson;
import org.subsidyledger.api.http.Months;
import org.subsidyledger.api.http.StrictJson;
import org.subsidyledger.api.http.StrictRequest;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.housing.RecipientCategory;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.ProgramId;

/** The JSON bodies of the housing commands (SPEC §3). */
final class HousingRequests {
    private HousingRequests() {}

    record RecipientJson(String personRef, String category) {
        Recipient toRecipient() {
            return new Recipient(personRef, Enums.parse(RecipientCategory.class, category, "recipient.category"));
        }
    }

    record Grant(String grantId, RecipientJson recipient, String startMonth, MoneyJson monthlyRent)
            implements StrictRequest {
        GrantHousingSubsidy toCommand(ProgramId programId) {
            if (recipient == null) {
                throw StrictJson.invalid("recipient is required.");
            }
            return new GrantHousingSubsidy(
                    programId,
                    Ids.suppliedOrNew(grantId, GrantId::of),
                    recipient.toRecipient(),
                    Months.parse(startMonth, "startMonth"),
                    MoneyJson.required(monthlyRent, "monthlyRent"));
        }
    }

    record Claim(String month, MoneyJson rentPaid, String leaseRef) implements StrictRequest {
        ClaimHousingSubsidy toCommand(ProgramId programId, GrantId grantId) {
            return new ClaimHousingSubsidy(
                    programId,
                    grantId,
                    Months.parse(month, "month"),
                    MoneyJson.required(rentPaid, "rentPaid"),
                    leaseRef);
        }
    }

    record Termination(String reason, String effectiveMonth) implements StrictRequest {
        TerminateHousingGrant toCommand(ProgramId programId, GrantId grantId) {
            return new TerminateHousingGrant(
                    programId, grantId, reason, Months.parse(effectiveMonth, "effectiveMonth"));
        }
    }
}
