package org.subsidyledger.api.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The store on the embedded default: an H2 file database, fresh in a temporary directory for each test. */
class H2LedgerStoreTest extends LedgerStoreContract {
    @TempDir
    Path dataDirectory;

    @Override
    Map<String, Object> databaseProperties() {
        return Map.of(
                "spring.datasource.url",
                "jdbc:h2:file:" + dataDirectory.resolve("ledger").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000");
    }

    @Override
    String utf8(String column) {
        return "UTF8TOSTRING(" + column + ")";
    }

    @Override
    String binaryColumnType() {
        return "binary varying";
    }

    @Override
    boolean waitsToInsertAnInvoice(JdbcTemplate jdbc) {
        // H2 does not report row waits as blockers; an insert still executing is one waiting for the other's row.
        Integer waiting = jdbc.queryForObject(
                "SELECT COUNT(*) FROM information_schema.sessions"
                        + " WHERE LOWER(executing_statement) LIKE 'insert into invoice_payment%'",
                Integer.class);
        return waiting != null && waiting > 0;
    }

    /** The index is only correct when written in the appending transaction: any other processor mode is refused. */
    @Test
    void refusesToStartWhenTheIndexProcessorIsNotSubscribing() {
        Map<String, Object> tracking = new HashMap<>(databaseProperties());
        tracking.put("axon.eventhandling.processors.ledger-index.mode", "tracking");
        assertThatThrownBy(() -> LedgerNode.start(tracking, clock).close())
                .rootCause()
                .hasMessageContaining("must be subscribing");
    }
}
