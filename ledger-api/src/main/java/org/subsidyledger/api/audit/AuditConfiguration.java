package org.subsidyledger.api.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.subsidyledger.api.store.BackgroundWork;

/** The seal writer, its schedule and the audit reader (the hash chain itself is wired with the event store). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
public class AuditConfiguration {

    @Bean
    public JdbcSealWriter sealWriter(
            JdbcTemplate jdbcTemplate,
            PlatformTransactionManager transactionManager,
            EventStorageEngine eventStorageEngine,
            AppendLock appendLock) {
        return new JdbcSealWriter(jdbcTemplate, transactionManager, eventStorageEngine, appendLock);
    }

    /**
     * Where the log has settled, for the alerts' index order; {@code ledger.store.settle-wait} bounds the wait for
     * appends in flight (a longer one rolls the alert batch back, to be tried again).
     */
    @Bean
    public SettledAppends settledAppends(
            JdbcTemplate jdbcTemplate, AppendLock appendLock, @Value("${ledger.store.settle-wait:10s}") Duration wait) {
        return new SettledAppends(jdbcTemplate, appendLock, wait);
    }

    /**
     * {@code ledger.audit.seal.age}: seconds from the last seal this node has seen (written or read by its schedule)
     * to now on the ledger clock; NaN until one has been seen. With seals due every {@code every-events} entries and
     * each midnight, an age well beyond a day means seals are not being written.
     */
    @Bean
    public MeterBinder sealAgeMetric(JdbcSealWriter sealWriter, Clock clock) {
        return registry -> Gauge.builder(
                        "ledger.audit.seal.age",
                        sealWriter,
                        writer -> writer.lastSealedAt()
                                .map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0)
                                .orElse(Double.NaN))
                .description("Seconds since the last seal of the log")
                .baseUnit("seconds")
                .register(registry);
    }

    /** The health component {@code seals} ({@link SealHealth}). */
    @Bean
    public SealHealth sealsHealthIndicator(
            JdbcSealWriter sealWriter, SealSchedule schedule, AuditProperties properties, Clock clock) {
        return new SealHealth(sealWriter, schedule, properties, clock);
    }

    @Bean
    public SealSchedule sealSchedule(
            JdbcSealWriter sealWriter, BackgroundWork backgroundWork, AuditProperties properties, Clock clock) {
        return new SealSchedule(sealWriter, backgroundWork, properties, clock);
    }

    @Bean
    public AuditLog auditLog(DataSource dataSource, PlatformTransactionManager transactionManager) {
        return new AuditLog(dataSource, transactionManager);
    }
}
