package org.subsidyledger.api.store;

import java.util.Locale;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** Which database the event table lives in, asked once: PostgreSQL (one or many nodes) or H2 (one node). */
public final class DatabaseKind {
    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;

    public DatabaseKind(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean isPostgres() {
        if (postgres == null) {
            postgres = jdbc.execute((ConnectionCallback<Boolean>) c -> c.getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(Locale.ROOT)
                    .contains("postgres"));
        }
        return postgres;
    }
}
