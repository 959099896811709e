package org.subsidyledger.api.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The store on real PostgreSQL at 127.0.0.1:5432 (the {@code postgres} profile): each test creates a database of its
 * own and drops it afterwards. If PostgreSQL is not reachable the tests fail, saying so; they never skip.
 */
class PostgresLedgerStoreTest extends LedgerStoreContract {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String USER = "postgres";

    private String database;

    @BeforeEach
    void createDatabase() {
        database = "subsidy_ledger_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            fail("PostgreSQL is required at 127.0.0.1:5432 (user postgres, trust auth) and could not be used: "
                    + e.getMessage() + ". Start it with `pg_ctlcluster --skip-systemctl-redirect <version> main start`"
                    + " (.ci/run does this) and run the tests again.", e);
        }
    }

    @Override
    Map<String, Object> databaseProperties() {
        return Map.of("spring.profiles.active", "postgres",
                "LEDGER_DB_URL", SERVER + database);
    }

    @Override
    String utf8(String column) {
        return "convert_from(" + column + ", 'UTF8')";
    }

    @Override
    String binaryColumnType() {
        return "bytea";
    }

    @Override
    boolean waitsToInsertAnInvoice(JdbcTemplate jdbc) {
        Integer waiting = jdbc.queryForObject("SELECT COUNT(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                + " AND LOWER(query) LIKE 'insert into invoice_payment%'", Integer.class);
        return waiting != null && waiting > 0;
    }

    /** The log is append-only in the database itself, whatever the application does. */
    @Test
    void theLogRefusesUpdatesAndDeletes() {
        try (LedgerNode node = start()) {
            node.send(new org.subsidyledger.core.registry.RegistryCommands.AccreditProvider(ALIYUN, "Aliyun",
                    PROVIDER_USCC, org.subsidyledger.core.shared.ProviderKind.COMPUTE, null, null));
            assertThat(node.eventCount()).isEqualTo(1);
            assertThatThrownBy(() -> node.jdbc.update("UPDATE domain_event_entry SET payload_type = 'x'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> node.jdbc.update("DELETE FROM domain_event_entry"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> node.jdbc.execute("TRUNCATE domain_event_entry"))
                    .hasMessageContaining("append-only");
            assertThat(node.jdbc.queryForObject("SELECT data_type FROM information_schema.columns"
                    + " WHERE table_name = 'domain_event_entry' AND column_name = 'global_index'", String.class))
                    .isEqualTo("bigint");
        }
    }
}
