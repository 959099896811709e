package org.subsidyledger.api.overload;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The {@code db} health component, replacing Spring Boot's. Boot's asks the connection pool for a connection and
 * runs a query on it: when every pooled connection is busy it waits the pool's whole timeout, and when the database
 * is away it waits as long again, so health itself hangs in exactly the moments it is asked about. This one opens a
 * connection of its own, outside the pool, with short connect and socket timeouts (PostgreSQL: 2 s and 3 s), and
 * reports DOWN when the database cannot be reached or does not answer; UP as soon as it answers again. A busy pool is
 * not a down database: its figures are shown as details (active, idle, waiting for a connection).
 */
public class DatabaseHealth extends AbstractHealthIndicator {
    private static final int VALID_SECONDS = 2;

    private final HikariDataSource pool;

    public DatabaseHealth(HikariDataSource pool) {
        super("The database could not be reached");
        this.pool = pool;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        HikariPoolMXBean figures = pool.getHikariPoolMXBean();
        if (figures != null) {
            builder.withDetail("poolActive", figures.getActiveConnections())
                    .withDetail("poolIdle", figures.getIdleConnections())
                    .withDetail("poolWaiting", figures.getThreadsAwaitingConnection())
                    .withDetail("poolSize", pool.getMaximumPoolSize());
        }
        Properties properties = new Properties();
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        String url = pool.getJdbcUrl();
        if (url.startsWith("jdbc:postgresql:")) {
            properties.setProperty("connectTimeout", "2");
            properties.setProperty("socketTimeout", "3");
            properties.setProperty("loginTimeout", "3");
        }
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            if (!connection.isValid(VALID_SECONDS)) {
                builder.down().withDetail("error", "The database did not answer within " + VALID_SECONDS + " s");
                return;
            }
            builder.up().withDetail("database", connection.getMetaData().getDatabaseProductName());
        }
    }
}
