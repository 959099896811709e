package org.subsidyledger.api.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.subsidyledger.core.alert.AlertThresholds;
import org.subsidyledger.core.alert.Threshold;
import org.subsidyledger.core.shared.LedgerRejection;

/** {@code ledger.alerts.*} and {@code ledger.alerts.provinces.<CODE>.*} become the engine's thresholds. */
class AlertThresholdsBindingTest {

    @Test
    void bindsDefaultsAndPerProvinceOverrides() {
        AlertThresholds thresholds = bind(Map.of(
                "ledger.alerts.lapse-ratio",
                "0.40",
                "ledger.alerts.provinces.CN-ZJ.commitment-warning",
                "0.70",
                "ledger.alerts.provinces.US-CA.arrears-days",
                "45"));
        assertThat(thresholds.defaults().value(Threshold.LAPSE_RATIO)).isEqualByComparingTo("0.40");
        assertThat(thresholds.defaults().value(Threshold.COMMITMENT_WARNING)).isEqualByComparingTo("0.80");
        assertThat(thresholds.forProvince("CN-ZJ").value(Threshold.COMMITMENT_WARNING))
                .isEqualByComparingTo("0.70");
        assertThat(thresholds.forProvince("CN-ZJ").value(Threshold.LAPSE_RATIO))
                .as("on top of the configured defaults")
                .isEqualByComparingTo("0.40");
        assertThat(thresholds.forProvince("US-CA").count(Threshold.ARREARS_DAYS))
                .isEqualTo(45);
        assertThat(thresholds.forProvince("CN-BJ")).isEqualTo(thresholds.defaults());
    }

    @Test
    void withoutConfigurationTheDefaultsAreSpecs() {
        assertThat(bind(Map.of())).isEqualTo(AlertThresholds.spec());
    }

    @Test
    void refusesAnUnknownThresholdOrABadValue() {
        assertThatThrownBy(() -> bind(Map.of("ledger.alerts.commitment-warn", "0.8")))
                .isInstanceOf(LedgerRejection.class)
                .hasMessageContaining("commitment-warn");
        assertThatThrownBy(() -> bind(Map.of("ledger.alerts.provinces.CN-ZJ.arrears-days", "1.5")))
                .isInstanceOf(LedgerRejection.class)
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> bind(Map.of("ledger.alerts.lapse-ratio", "-0.1")))
                .isInstanceOf(LedgerRejection.class)
                .hasMessageContaining("positive");
    }

    private static AlertThresholds bind(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return new AlertConfiguration().alertThresholds(environment);
    }
}
