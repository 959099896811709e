package org.subsidyledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.core.registry.RegistryCommands;
import org.subsidyledger.core.shared.ProviderKind;

/**
 * The store on real PostgreSQL at 127.0.0.1:5432 (the {@code postgres} profile): each test creates a database of its
 * own and drops it afterwards. If PostgreSQL is not reachable the tests fail, saying so; they never skip.
 */
class PostgresLedgerStoreTest extends LedgerStoreContract {
    private String database;

    @BeforeEach
    void createDatabase() {
        database = PostgresDatabase.create("subsidy_ledger_test_");
    }

    @AfterEach
    void dropDatabase() {
        PostgresDatabase.drop(database);
    }

    @Override
    Map<String, Object> databaseProperties() {
        return Map.of("spring.profiles.active", "postgres", "LEDGER_DB_URL", PostgresDatabase.url(database));
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
        Integer waiting = jdbc.queryForObject(
                "SELECT COUNT(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        + " AND LOWER(query) LIKE 'insert into invoice_payment%'",
                Integer.class);
        return waiting != null && waiting > 0;
    }

    /** The log is append-only in the database itself, whatever the application does. */
    @Test
    void theLogRefusesUpdatesAndDeletes() {
        try (LedgerNode node = start()) {
            node.send(new RegistryCommands.AccreditProvider(
                    ALIYUN, "Aliyun", PROVIDER_USCC, ProviderKind.COMPUTE, null, null));
            assertThat(node.eventCount()).isEqualTo(1);
            assertThatThrownBy(() -> node.jdbc.update("UPDATE domain_event_entry SET payload_type = 'x'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> node.jdbc.update("DELETE FROM domain_event_entry"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> node.jdbc.execute("TRUNCATE domain_event_entry"))
                    .hasMessageContaining("append-only");
            assertThat(node.jdbc.queryForObject(
                            "SELECT data_type FROM information_schema.columns"
                                    + " WHERE table_name = 'domain_event_entry' AND column_name = 'global_index'",
                            String.class))
                    .isEqualTo("bigint");
        }
    }
}
