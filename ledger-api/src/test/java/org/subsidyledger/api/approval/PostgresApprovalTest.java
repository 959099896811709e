package org.subsidyledger.api.approval;

import java.util.Map;
import org.subsidyledger.api.support.PostgresDatabase;

/**
 * Four eyes on real PostgreSQL at 127.0.0.1:5432 (the {@code postgres} profile), in a database created for this class
 * and dropped after it. If PostgreSQL is not reachable the tests fail, saying so; they never skip.
 */
class PostgresApprovalTest extends ApprovalContract {
    private String database;

    @Override
    Map<String, Object> createDatabase() {
        database = PostgresDatabase.create("subsidy_approval_test_");
        return Map.of("spring.profiles.active", "postgres", "LEDGER_DB_URL", PostgresDatabase.url(database));
    }

    @Override
    void dropDatabase() {
        PostgresDatabase.drop(database);
    }
}
