package org.subsidyledger.api.approval;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Four eyes on the embedded default: an H2 file database in a temporary directory, fresh for this class. */
class H2ApprovalTest extends ApprovalContract {
    @TempDir
    static Path dataDirectory;

    @Override
    Map<String, Object> createDatabase() {
        return Map.of(
                "spring.datasource.url",
                "jdbc:h2:file:" + dataDirectory.resolve("ledger").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000");
    }

    @Override
    void dropDatabase() {
        // the temporary directory goes with the class
    }
}
