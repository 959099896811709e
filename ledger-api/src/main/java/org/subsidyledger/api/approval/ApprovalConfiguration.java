package org.subsidyledger.api.approval;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;

/**
 * The national approval settings ({@code ledger.approvals.*}), which Axon hands to the program's command handlers, and
 * the index of requests. A bad setting (an unknown currency, an amount that is not positive money, a lifetime that is
 * not positive) stops the start-up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApprovalConfiguration.ApprovalProperties.class)
public class ApprovalConfiguration {

    /**
     * @param requestLifetime  how long a request waits for its checker before it expires (default 14 days)
     * @param defaultThreshold the national threshold per currency code ({@code CNY: "5000000.00"}), written into the
     *                         rules of a program launched without its own; none by default
     */
    @ConfigurationProperties("ledger.approvals")
    public record ApprovalProperties(
            @DefaultValue("P14D") Duration requestLifetime, Map<String, String> defaultThreshold) {}

    @Bean
    public ApprovalPolicy approvalPolicy(ApprovalProperties properties) {
        Map<CurrencyCode, Money> thresholds = new EnumMap<>(CurrencyCode.class);
        if (properties.defaultThreshold() != null) {
            properties.defaultThreshold().forEach((code, amount) -> {
                CurrencyCode currency;
                try {
                    currency = CurrencyCode.valueOf(code);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("ledger.approvals.default-threshold." + code
                            + ": not a currency of the ledger (CNY, USD).");
                }
                try {
                    thresholds.put(currency, Money.of(amount, currency));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(
                            "ledger.approvals.default-threshold." + code + ": '" + amount + "' is not an amount.", e);
                }
            });
        }
        return new ApprovalPolicy(properties.requestLifetime(), thresholds);
    }

    @Bean
    public ApprovalIndex approvalIndex(JdbcTemplate jdbcTemplate) {
        return new ApprovalIndex(jdbcTemplate);
    }
}
