package org.subsidyledger.api.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.voucher.VoucherSettings;

/** The seed scenario shipped in the jar becomes valid launch and appropriation commands, one per program. */
class DemoProgramsTest {

    @Test
    void everyProgramOfTheSeedScenarioBecomesALaunchWithItsAppropriations() {
        List<DemoPrograms.Seed> seeds = DemoPrograms.load();
        assertThat(seeds)
                .extracting(s -> s.programId().value())
                .containsExactly(
                        "zj-hangzhou-compute-2026",
                        "bj-compute-2025",
                        "bj-model-2025",
                        "sh-compute-2025",
                        "sh-model-2025",
                        "gd-shenzhen-training-2025",
                        "gd-shenzhen-model-2025",
                        "gd-zhuhai-housing-2025",
                        "sh-lingang-housing-2025",
                        "ha-compute-2025",
                        "us-ca-ai-service-2026");
        for (DemoPrograms.Seed seed : seeds) {
            assertThat(seed.appropriations())
                    .as("appropriations of %s", seed.programId())
                    .isNotEmpty();
            seed.appropriations()
                    .forEach(a -> assertThat(a.amount().currency())
                            .isEqualTo(seed.launch().currency()));
            boolean housing = seed.launch().kind() == ProgramKind.HOUSING_SUBSIDY;
            assertThat(seed.launch().rules()).isInstanceOf(housing ? HousingSettings.class : VoucherSettings.class);
        }
        DemoPrograms.Seed henan = seeds.get(9);
        assertThat(henan.launch().province()).isEqualTo("CN-HA");
        assertThat(henan.appropriations().get(0).amount().amount()).isEqualByComparingTo("50000000.00");
        HousingSettings lingang = (HousingSettings) seeds.get(8).launch().rules();
        assertThat(lingang.serviceMonths()).isEqualTo(36);
        assertThat(seeds.get(8).launch().city()).isEqualTo("Lin-gang");
    }
}
