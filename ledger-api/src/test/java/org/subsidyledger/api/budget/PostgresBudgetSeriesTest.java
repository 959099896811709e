package org.subsidyledger.api.budget;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The budget series on real PostgreSQL at 127.0.0.1:5432 (the {@code postgres} profile), in a database this class
 * creates and drops. If PostgreSQL is not reachable the tests fail, saying so; they never skip.
 */
class PostgresBudgetSeriesTest extends BudgetSeriesContract {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private String database;

    @Override
    Map<String, Object> createDatabase() {
        database = "subsidy_series_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database);
        return Map.of("spring.profiles.active", "postgres", "LEDGER_DB_URL", SERVER + database);
    }

    @Override
    void dropDatabase() {
        if (database != null) {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            fail(
                    "PostgreSQL is required at 127.0.0.1:5432 (user postgres, trust auth) and could not be used: "
                            + e.getMessage()
                            + ". Start it with `pg_ctlcluster --skip-systemctl-redirect <version> main start`"
                            + " (.ci/run does this) and run the tests again.",
                    e);
        }
    }
}
