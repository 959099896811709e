package org.subsidyledger.api.demo;

import java.util.Map;

/** The demo loaded into the embedded default's store: an H2 file in a temporary directory, fresh for this class. */
class H2DemoLoaderTest extends DemoLoaderContract {

    @Override
    Map<String, Object> openDatabase() {
        return Map.of(
                "spring.datasource.url",
                "jdbc:h2:file:" + scratch.resolve("ledger").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000");
    }

    @Override
    void closeDatabase() {}

    @Override
    String utf8(String column) {
        return "UTF8TOSTRING(" + column + ")";
    }
}
