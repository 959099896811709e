package org.subsidyledger.api.overload;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires admission control and the database health component.
 *
 * <ul>
 *   <li>{@link AdmissionControl}: {@code ledger.admission.max-concurrent} commands at once (0, the default: the
 *       pool's size minus two, at least one), each waiting at most {@code ledger.admission.max-wait} for its turn;
 *       registered after Spring Security's filters and before the idempotency filter.</li>
 *   <li>{@link DatabaseHealth} as the health component {@code db} (bean name {@code dbHealthIndicator}, which
 *       turns Boot's pool-based one off).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class OverloadConfiguration {
    /** After Spring Security's filter chain (order -100), before the idempotency filter (lowest precedence). */
    static final int ADMISSION_ORDER = 0;

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    public FilterRegistrationBean<AdmissionControl> admissionControl(
            DataSource dataSource,
            MeterRegistry meters,
            @Value("${ledger.admission.max-concurrent:0}") int maxConcurrent,
            @Value("${ledger.admission.max-wait:1500ms}") Duration maxWait,
            @Value("${ledger.admission.request-budget:4s}") Duration requestBudget,
            @Value("${ledger.admission.retry-after:1s}") Duration retryAfter) {
        int permits = maxConcurrent > 0 ? maxConcurrent : Math.max(1, poolSize(dataSource) - 2);
        FilterRegistrationBean<AdmissionControl> registration =
                new FilterRegistrationBean<>(new AdmissionControl(permits, maxWait, requestBudget, retryAfter, meters));
        registration.setOrder(ADMISSION_ORDER);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    @Bean
    public DatabaseHealth dbHealthIndicator(DataSource dataSource) {
        HikariDataSource pool = DataSourceUnwrapper.unwrap(dataSource, HikariDataSource.class);
        if (pool == null) {
            throw new IllegalStateException("The ledger runs on a Hikari connection pool; found " + dataSource);
        }
        return new DatabaseHealth(pool);
    }

    private static int poolSize(DataSource dataSource) {
        HikariDataSource pool = DataSourceUnwrapper.unwrap(dataSource, HikariDataSource.class);
        return pool == null ? 10 : pool.getMaximumPoolSize();
    }
}
