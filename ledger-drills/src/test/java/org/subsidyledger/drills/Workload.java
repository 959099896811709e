package org.subsidyledger.drills;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.subsidyledger.core.shared.Uscc;

/**
 * The ledger the load runs against: one accredited compute provider and a few compute-voucher programs in Zhejiang,
 * each appropriated far more than the load can issue, so every client hits every program (hot programs shared by all
 * clients and, in the two-node drill, by both nodes).
 */
final class Workload {
    static final String PROVIDER = "drill-provider";
    static final int PROGRAMS = 8;

    private Workload() {}

    static List<String> setUp(LedgerClient admin, URI node, String prefix) {
        String first17 = "91330100MA2C00006";
        admin.expect(
                node,
                "POST",
                "/api/v1/providers",
                "{\"providerId\":\"" + PROVIDER + "\",\"name\":\"Drill"
                        + " compute provider\",\"id\":\"" + first17 + Uscc.checkCharacter(first17)
                        + "\",\"kind\":\"COMPUTE\"}",
                201);
        List<String> programs = new ArrayList<>();
        for (int i = 0; i < PROGRAMS; i++) {
            String id = prefix + "-p" + i;
            admin.expect(node, "POST", "/api/v1/programs", computeProgram(id), 201);
            admin.expect(
                    node,
                    "POST",
                    "/api/v1/programs/" + id + "/appropriations",
                    "{\"amount\":" + Load.money("500000000.00") + ",\"reference\":\"budget-" + id + "\"}",
                    200);
            programs.add(id);
        }
        return programs;
    }

    private static String computeProgram(String programId) {
        return "{\"programId\":\"" + programId + "\",\"name\":\"Drill compute vouchers " + programId + "\","
                + "\"kind\":\"COMPUTE_VOUCHER\",\"province\":\"CN-ZJ\",\"city\":\"Hangzhou\","
                + "\"currency\":\"CNY\",\"rules\":{\"coverageRatio\":\"0.30\",\"maxVoucherValue\":"
                + Load.money("8000000.00") + ",\"capPerBeneficiaryPerYear\":" + Load.money("8000000.00")
                + ",\"validityDays\":365,\"eligibleSectors\":[\"software\",\"healthcare\"],"
                + "\"payee\":\"BENEFICIARY\"}}";
    }
}
