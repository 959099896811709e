package org.subsidyledger.api.web;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The REST API on the embedded default: an H2 file database in a temporary directory, fresh for this class. */
class H2LedgerHttpTest extends LedgerHttpContract {
    @TempDir
    static Path dataDirectory;

    @Override
    Map<String, Object> openDatabase() {
        return Map.of(
                "spring.datasource.url",
                "jdbc:h2:file:" + dataDirectory.resolve("ledger").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000");
    }

    @Override
    String utf8(String column) {
        return "UTF8TOSTRING(" + column + ")";
    }
}
