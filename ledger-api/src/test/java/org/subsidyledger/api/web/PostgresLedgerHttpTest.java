package org.subsidyledger.api.web;

import org.subsidyledger.api.support.PostgresDatabase;

import java.util.Map;

/**
 * The REST API on real PostgreSQL at 127.0.0.1:5432 (the {@code postgres} profile): a database created for this class
 * and dropped after it. If PostgreSQL is not reachable every test of the class fails, saying so; none is skipped.
 */
class PostgresLedgerHttpTest extends LedgerHttpContract {
    private String database;

    @Override
    Map<String, Object> openDatabase() {
        database = PostgresDatabase.create("subsidy_ledger_http_");
        return Map.of("spring.profiles.active", "postgres", "LEDGER_DB_URL", PostgresDatabase.url(database));
    }

    @Override
    void closeDatabase() {
        PostgresDatabase.drop(database);
    }

    @Override
    String utf8(String column) {
        return "convert_from(" + column + ", 'UTF8')";
    }
}
