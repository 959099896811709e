package org.subsidyledger.api.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.subsidyledger.api.approval.ApprovalConfiguration.ApprovalProperties;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;

/**
 * {@code ledger.approvals.*} (SPEC §11 "Four eyes") as the application binds it: 14 days and no national threshold by
 * default; a threshold per currency and another lifetime when configured; a setting that is not a currency, not an
 * amount or not a positive lifetime stops the start-up.
 */
class ApprovalConfigurationTest {

    private static ApprovalPolicy bind(Map<String, String> settings) {
        ApprovalProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("ledger.approvals", ApprovalProperties.class);
        return new ApprovalConfiguration().approvalPolicy(properties);
    }

    @Test
    void fourteenDaysAndNoNationalThresholdByDefault() {
        ApprovalPolicy policy = bind(Map.of());
        assertThat(policy.requestLifetime()).isEqualTo(Duration.ofDays(14));
        assertThat(policy.defaultThreshold(CurrencyCode.CNY)).isEmpty();
        assertThat(policy.defaultThreshold(CurrencyCode.USD)).isEmpty();
    }

    @Test
    void aThresholdPerCurrencyAndAnotherLifetimeWhenConfigured() {
        ApprovalPolicy policy = bind(Map.of(
                "ledger.approvals.default-threshold.CNY", "5000000.00",
                "ledger.approvals.request-lifetime", "P7D"));
        assertThat(policy.defaultThreshold(CurrencyCode.CNY)).contains(Money.of("5000000.00", CurrencyCode.CNY));
        assertThat(policy.defaultThreshold(CurrencyCode.USD)).isEmpty();
        assertThat(policy.requestLifetime()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aBadSettingStopsTheStartUp() {
        assertThatThrownBy(() -> bind(Map.of("ledger.approvals.default-threshold.EUR", "1.00")))
                .hasMessageContaining("EUR");
        assertThatThrownBy(() -> bind(Map.of("ledger.approvals.default-threshold.CNY", "lots")))
                .hasMessageContaining("lots");
        assertThatThrownBy(() -> bind(Map.of("ledger.approvals.default-threshold.CNY", "0.00")))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> bind(Map.of("ledger.approvals.request-lifetime", "PT0S")))
                .hasMessageContaining("positive");
    }
}
