package org.subsidyledger.drills;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of the drill's own (random name) on a PostgreSQL server: the shared one on 127.0.0.1:5432, or a private
 * cluster the drill may restart ({@link PrivateCluster}). Dropped on close. An unreachable server fails the drill.
 */
final class DrillDatabase implements AutoCloseable {
    static final String USER = "postgres";
    static final int SHARED_PORT = 5432;

    final int port;
    final String name;

    private DrillDatabase(int port, String name) {
        this.port = port;
        this.name = name;
    }

    /** A new database on the shared server (127.0.0.1:5432, trust auth). */
    static DrillDatabase onSharedServer(String prefix) {
        return create(SHARED_PORT, prefix);
    }

    static DrillDatabase create(int port, String prefix) {
        String name =
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        admin(port, "CREATE DATABASE " + name);
        return new DrillDatabase(port, name);
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public void close() {
        admin(port, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void admin(int port, String sql) {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL is required at 127.0.0.1:" + port + " (user postgres, trust"
                            + " auth) and could not be used: " + e.getMessage(),
                    e);
        }
    }
}
