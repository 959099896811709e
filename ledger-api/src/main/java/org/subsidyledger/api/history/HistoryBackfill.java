package org.subsidyledger.api.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.api.store.LedgerJson;

/**
 * Fills {@code entity_event} once for a ledger whose vouchers and grants were recorded before the table existed:
 * at start-up, if the table is empty while the log holds voucher or housing events, it reads them all (in one
 * transaction) and writes their rows. A ledger that had the table from its first event never needs it. It runs when
 * the bean is created: after Flyway (the JdbcTemplate depends on it) and before the event processors and the HTTP
 * server start, so no new event can make the table non-empty first.
 */
@Component
public class HistoryBackfill {
    private static final Logger log = LoggerFactory.getLogger(HistoryBackfill.class);
    private static final String VOUCHER_EVENTS = "org.subsidyledger.core.voucher.VoucherEvent$%";
    private static final String HOUSING_EVENTS = "org.subsidyledger.core.housing.HousingEvent$%";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json = LedgerJson.newMapper();

    public HistoryBackfill(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    @PostConstruct
    public void backfill() {
        if (!jdbc.queryForList("SELECT entity_id FROM entity_event LIMIT 1").isEmpty()) {
            return;
        }
        Integer rows;
        try {
            rows = transaction.execute(tx -> fill());
        } catch (DuplicateKeyException e) {
            // another node starting at the same moment filled it first; its rows are the same
            log.info("history: the existing log's voucher and grant events were recorded by another node");
            return;
        }
        if (rows != null && rows > 0) {
            log.info("history: recorded {} voucher and grant events of the existing log", rows);
        }
    }

    private int fill() {
        List<Object[]> rows = new ArrayList<>();
        jdbc.query(
                "SELECT aggregate_identifier, sequence_number, payload_type, payload FROM domain_event_entry"
                        + " WHERE payload_type LIKE ? OR payload_type LIKE ? ORDER BY global_index",
                row -> {
                    boolean voucher = row.getString("payload_type").startsWith(VOUCHER_EVENTS.replace("%", ""));
                    String field = voucher ? "voucherId" : "grantId";
                    try {
                        String id = json.readTree(row.getBytes("payload"))
                                .path(field)
                                .asText();
                        rows.add(new Object[] {
                            voucher ? EventHistory.Kind.VOUCHER.name() : EventHistory.Kind.GRANT.name(),
                            id,
                            row.getString("aggregate_identifier"),
                            row.getLong("sequence_number")
                        });
                    } catch (IOException e) {
                        throw new UncheckedIOException("a stored event is not JSON", e);
                    }
                },
                VOUCHER_EVENTS,
                HOUSING_EVENTS);
        jdbc.batchUpdate(
                "INSERT INTO entity_event (entity_kind, entity_id, program_id, sequence_number)"
                        + " VALUES (?, ?, ?, ?)",
                rows);
        return rows.size();
    }
}
