package org.subsidyledger.core.registry;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Text;
import org.subsidyledger.core.shared.Uscc;

/** Commands of the national registries of providers and models. */
public final class RegistryCommands {
    private RegistryCommands() {}

    /** Accredit a compute provider or model vendor. {@code country} defaults to CN; a CN provider needs a USCC. */
    public record AccreditProvider(
            @TargetAggregateIdentifier ProviderId providerId,
            String name,
            String id,
            ProviderKind kind,
            String group,
            String country) {
        public AccreditProvider {
            Text.requireText(name, "name");
            Rules.require(kind != null, RejectionCode.VALIDATION_FAILED, "kind must be COMPUTE or MODEL_VENDOR.");
            country = country == null ? "CN" : country;
            Rules.require(
                    country.equals("CN") || country.equals("US"),
                    RejectionCode.VALIDATION_FAILED,
                    "country must be CN or US.");
            if (country.equals("CN")) {
                Uscc.require(id, "id");
            } else {
                Text.requireId(id, "id");
            }
            if (group != null) {
                Text.requireId(group, "group");
            }
        }
    }

    public record WithdrawAccreditation(
            @TargetAggregateIdentifier ProviderId providerId, String reason) {
        public WithdrawAccreditation {
            Text.requireText(reason, "reason");
        }
    }

    /** Register a generative model filed with the regulator; its vendor must be an accredited MODEL_VENDOR. */
    public record RegisterModel(@TargetAggregateIdentifier FilingNo filingNo, String name, ProviderId vendorId) {
        public RegisterModel {
            Text.requireText(name, "name");
            Rules.require(vendorId != null, RejectionCode.VALIDATION_FAILED, "vendorId is required.");
        }
    }

    public record DeregisterModel(@TargetAggregateIdentifier FilingNo filingNo, String reason) {
        public DeregisterModel {
            Text.requireText(reason, "reason");
        }
    }
}
