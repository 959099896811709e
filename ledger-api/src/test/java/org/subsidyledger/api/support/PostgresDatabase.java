package org.subsidyledger.api.support;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away PostgreSQL databases on the server at 127.0.0.1:5432 (user postgres, trust auth), for tests that run the
 * ledger on real PostgreSQL. If the server cannot be used the calling test FAILS, saying how to start it; it never
 * skips.
 */
public final class PostgresDatabase {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String USER = "postgres";

    private PostgresDatabase() {}

    /** Creates a database with a fresh random name starting with {@code prefix}; returns its name. */
    public static String create(String prefix) {
        String database = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database);
        return database;
    }

    /** Drops a database made by {@link #create}, closing whatever connections are still open on it. */
    public static void drop(String database) {
        if (database != null) {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** The JDBC URL of a database on the server. */
    public static String url(String database) {
        return SERVER + database;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, "");
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

    /**
     * Waits until a session of the server waits for an advisory lock whose {@code pg_locks} row matches
     * {@code condition} (e.g. {@code objid::text::bigint = 42}); fails after 20 s.
     */
    public static void awaitAdvisoryWaiter(Statement statement, String condition)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM pg_locks"
                    + " WHERE locktype = 'advisory' AND NOT granted AND " + condition)) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        fail("no session came to wait for an advisory lock where " + condition);
    }
}
