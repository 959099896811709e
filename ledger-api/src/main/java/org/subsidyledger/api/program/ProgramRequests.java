package org.subsidyledger.api.program;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.subsidyledger.api.command.Ids;
import org.subsidyledger.api.http.Enums;
import org.subsidyledger.api.http.MoneyJson;
import org.subsidyledger.api.http.StrictJson;
import org.subsidyledger.api.http.StrictRequest;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.CloseProgram;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherSettings;

/** The JSON bodies of the program commands (SPEC §3), each turned into its domain command. */
final class ProgramRequests {
    private ProgramRequests() {}

    record Launch(
            String programId, String name, String kind, String province, String city, String currency, JsonNode rules)
            implements StrictRequest {
        LaunchProgram toCommand() {
            ProgramKind programKind = Enums.parse(ProgramKind.class, kind, "kind");
            CurrencyCode code = Enums.parse(CurrencyCode.class, currency, "currency");
            ProgramSettings parsed = programKind.isVoucher()
                    ? StrictJson.convert(rules, VoucherSettingsJson.class, "rules")
                            .toRules()
                    : StrictJson.convert(rules, HousingSettingsJson.class, "rules")
                            .toRules();
            return new LaunchProgram(
                    Ids.suppliedOrNew(programId, ProgramId::of), name, programKind, province, city, code, parsed);
        }
    }

    record VoucherSettingsJson(
            String coverageRatio,
            MoneyJson maxVoucherValue,
            MoneyJson capPerBeneficiaryPerYear,
            Integer validityDays,
            List<String> eligibleSectors,
            String payee,
            MoneyJson approvalThreshold) {
        VoucherSettings toRules() {
            if (validityDays == null) {
                throw StrictJson.invalid("rules.validityDays is required.");
            }
            return new VoucherSettings(
                    Ratio.of(coverageRatio),
                    MoneyJson.required(maxVoucherValue, "rules.maxVoucherValue"),
                    MoneyJson.required(capPerBeneficiaryPerYear, "rules.capPerBeneficiaryPerYear"),
                    validityDays,
                    eligibleSectors,
                    Enums.parse(Payee.class, payee, "rules.payee"),
                    optional(approvalThreshold, "rules.approvalThreshold"));
        }
    }

    record HousingSettingsJson(
            List<String> schedule,
            MoneyJson monthlyRentCap,
            MoneyJson capPerRecipient,
            Integer claimWindowMonths,
            Integer serviceMonths,
            MoneyJson approvalThreshold) {
        HousingSettings toRules() {
            if (schedule == null) {
                throw StrictJson.invalid("rules.schedule is required.");
            }
            return new HousingSettings(
                    schedule.stream().map(Ratio::of).toList(),
                    MoneyJson.required(monthlyRentCap, "rules.monthlyRentCap"),
                    MoneyJson.required(capPerRecipient, "rules.capPerRecipient"),
                    claimWindowMonths,
                    serviceMonths,
                    optional(approvalThreshold, "rules.approvalThreshold"));
        }
    }

    private static Money optional(MoneyJson json, String field) {
        return json == null ? null : json.toMoney(field);
    }

    record Appropriate(MoneyJson amount, String reference) implements StrictRequest {
        AppropriateFunds toCommand(ProgramId programId) {
            return new AppropriateFunds(programId, MoneyJson.required(amount, "amount"), reference);
        }
    }

    record Rescind(MoneyJson amount, String reason) implements StrictRequest {
        RescindFunds toCommand(ProgramId programId) {
            return new RescindFunds(programId, MoneyJson.required(amount, "amount"), reason);
        }
    }

    record Close(String reason) implements StrictRequest {
        CloseProgram toCommand(ProgramId programId) {
            return new CloseProgram(programId, reason);
        }
    }
}
