package org.subsidyledger.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A database of the run's own on the shared PostgreSQL server, made fresh and dropped at the end. */
final class Database implements AutoCloseable {
    static final String USER = "postgres";
    private final String server;
    private final String name;

    private final boolean keep;

    private Database(String server, String name, boolean keep) {
        this.server = server;
        this.name = name;
        this.keep = keep;
    }

    /** An existing database, kept after the run. */
    static Database existing(String server, String name) {
        return new Database(server, name, true);
    }

    static Database create(String server, String prefix) throws SQLException {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server + "postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Database(server, name, false);
    }

    String name() {
        return name;
    }

    String url() {
        return server + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public void close() throws SQLException {
        if (keep) {
            return;
        }
        try (Connection c = DriverManager.getConnection(server + "postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
