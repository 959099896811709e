package org.subsidyledger.api.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * The seed scenario's programs ({@code demo/programs.json}, a copy of {@code shared/scenarios/programs.json} shipped in
 * the jar), turned into the commands that launch and fund them. The domain's own constructors validate every field,
 * exactly as for a request.
 */
final class DemoPrograms {
    static final String RESOURCE = "/demo/programs.json";

    /** One program of the file: its launch and the appropriations it is funded with at launch. */
    record Seed(LaunchProgram launch, List<AppropriateFunds> appropriations) {
        ProgramId programId() {
            return launch.programId();
        }
    }

    private DemoPrograms() {}

    static List<Seed> load() {
        try (InputStream in = DemoPrograms.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo scenario " + RESOURCE + " is missing from the classpath");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("the demo scenario " + RESOURCE + " cannot be read", e);
        }
    }

    static List<Seed> parse(JsonNode root) {
        List<Seed> seeds = new ArrayList<>();
        for (JsonNode p : root.path("programs")) {
            ProgramId id = ProgramId.of(p.path("programId").asText());
            ProgramKind kind = ProgramKind.valueOf(p.path("kind").asText());
            CurrencyCode currency = CurrencyCode.valueOf(p.path("currency").asText());
            String city = p.hasNonNull("city") ? p.get("city").asText() : null;
            LaunchProgram launch = new LaunchProgram(
                    id,
                    p.path("name").asText(),
                    kind,
                    p.path("province").asText(),
                    city,
                    currency,
                    withDemoThreshold(id, rules(kind, p.path("rules"))));
            List<AppropriateFunds> funds = new ArrayList<>();
            for (JsonNode a : p.path("appropriations")) {
                funds.add(new AppropriateFunds(
                        id, money(a.path("amount")), a.path("reference").asText()));
            }
            seeds.add(new Seed(launch, List.copyOf(funds)));
        }
        return List.copyOf(seeds);
    }

    /**
     * Four eyes in the demo: Hangzhou's commitments of 5,000,000.00 or more and Zhuhai's housing grants of 100,000.00
     * or more need a second person. The scenario file holds the programs as published; the thresholds are the demo's.
     */
    static final Map<String, Money> APPROVAL_THRESHOLDS = Map.of(
            "zj-hangzhou-compute-2026", Money.of("5000000.00", CurrencyCode.CNY),
            "gd-zhuhai-housing-2025", Money.of("100000.00", CurrencyCode.CNY));

    private static ProgramSettings withDemoThreshold(ProgramId id, ProgramSettings rules) {
        Money threshold = APPROVAL_THRESHOLDS.get(id.value());
        return threshold == null ? rules : rules.withApprovalThreshold(threshold);
    }

    private static ProgramSettings rules(ProgramKind kind, JsonNode r) {
        if (kind.isVoucher()) {
            List<String> sectors = new ArrayList<>();
            r.path("eligibleSectors").forEach(s -> sectors.add(s.asText()));
            return new VoucherSettings(
                    Ratio.of(r.path("coverageRatio").asText()),
                    money(r.path("maxVoucherValue")),
                    money(r.path("capPerBeneficiaryPerYear")),
                    r.path("validityDays").asInt(),
                    sectors,
                    Payee.valueOf(r.path("payee").asText()));
        }
        List<Ratio> schedule = new ArrayList<>();
        r.path("schedule").forEach(s -> schedule.add(Ratio.of(s.asText())));
        return new HousingSettings(
                schedule,
                money(r.path("monthlyRentCap")),
                money(r.path("capPerRecipient")),
                r.hasNonNull("claimWindowMonths") ? r.get("claimWindowMonths").asInt() : null,
                r.hasNonNull("serviceMonths") ? r.get("serviceMonths").asInt() : null);
    }

    private static Money money(JsonNode m) {
        return Money.ofRequest(m.path("amount").asText(), m.path("currency").asText(), "amount");
    }
}
