package org.subsidyledger.api.audit;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.subsidyledger.api.store.BackgroundWork;

import javax.sql.DataSource;

/** The seal writer, its schedule and the audit reader (the hash chain itself is wired with the event store). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
public class AuditConfiguration {

    @Bean
    public JdbcSealWriter sealWriter(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager,
                                     EventStorageEngine eventStorageEngine, AppendLock appendLock) {
        return new JdbcSealWriter(jdbcTemplate, transactionManager, eventStorageEngine, appendLock);
    }

    @Bean
    public SealSchedule sealSchedule(JdbcSealWriter sealWriter, BackgroundWork backgroundWork,
                                     AuditProperties properties) {
        return new SealSchedule(sealWriter, backgroundWork, properties);
    }

    @Bean
    public AuditLog auditLog(DataSource dataSource, PlatformTransactionManager transactionManager) {
        return new AuditLog(dataSource, transactionManager);
    }
}
