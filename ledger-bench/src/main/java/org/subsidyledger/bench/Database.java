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

    private Database(String server, String name) {
        this.server = server;
        this.name = name;
    }

    static Database create(String server, String prefix) throws SQLException {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server + "postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Database(server, name);
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
        try (Connection c = DriverManager.getConnection(server + "postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
