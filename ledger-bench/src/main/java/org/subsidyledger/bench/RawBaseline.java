package org.subsidyledger.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The raw limit, measured in the same run and the same database: plain JDBC appending the rows the ledger appended (the
 * same payload and metadata bytes, sampled from its own log) to a table of the same shape as Axon's
 * {@code domain_event_entry} (BIGSERIAL index, unique (aggregate, sequence) and event id), one transaction per
 * command with as many rows as the ledger's commands appended on average, from the same number of connections. What
 * the ledger adds on top of this — deciding, index rows, hashing, HTTP, authentication — is the ratio.
 */
final class RawBaseline {
    record Row(String type, byte[] metaData, byte[] payload, String payloadRevision, String payloadType) {}

    record Result(
            int connections,
            long transactions,
            long rows,
            long elapsedMillis,
            double transactionsPerSecond,
            long p50Micros,
            long p99Micros,
            long p999Micros) {}

    static Result run(Database database, int connections, Duration duration, int rowsPerCommand)
            throws SQLException, InterruptedException {
        List<Row> sample = new ArrayList<>();
        try (Connection c = database.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_raw_event (global_index BIGSERIAL NOT NULL, aggregate_identifier"
                    + " VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL, type VARCHAR(255), event_identifier"
                    + " VARCHAR(255) NOT NULL, meta_data BYTEA, payload BYTEA NOT NULL, payload_revision VARCHAR(255),"
                    + " payload_type VARCHAR(255) NOT NULL, time_stamp VARCHAR(255) NOT NULL,"
                    + " CONSTRAINT bench_raw_event_pk PRIMARY KEY (global_index),"
                    + " CONSTRAINT bench_raw_event_aggregate_sequence_uk UNIQUE (aggregate_identifier, sequence_number),"
                    + " CONSTRAINT bench_raw_event_event_identifier_uk UNIQUE (event_identifier))");
            try (ResultSet r = s.executeQuery("SELECT type, meta_data, payload, payload_revision, payload_type FROM"
                    + " domain_event_entry ORDER BY global_index DESC LIMIT 1000")) {
                while (r.next()) {
                    sample.add(new Row(r.getString(1), r.getBytes(2), r.getBytes(3), r.getString(4), r.getString(5)));
                }
            }
        }
        if (sample.isEmpty()) {
            throw new IllegalStateException("The ledger appended nothing to sample for the baseline");
        }
        Histogram latency = new ConcurrentHistogram(Tally.MAX_MICROS, 3);
        AtomicLong transactions = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Exception> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < connections; t++) {
            int worker = t;
            Thread thread = new Thread(
                    () -> {
                        try (Connection c = database.connect();
                                PreparedStatement insert =
                                        c.prepareStatement("INSERT INTO bench_raw_event (aggregate_identifier,"
                                                + " sequence_number, type, event_identifier, meta_data, payload, payload_revision,"
                                                + " payload_type, time_stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                            c.setAutoCommit(false);
                            long sequence = 0;
                            int n = worker;
                            while (System.nanoTime() < end) {
                                long sent = System.nanoTime();
                                for (int k = 0; k < rowsPerCommand; k++) {
                                    Row row = sample.get(n++ % sample.size());
                                    insert.setString(1, "raw-" + worker);
                                    insert.setLong(2, sequence++);
                                    insert.setString(3, row.type());
                                    insert.setString(4, UUID.randomUUID().toString());
                                    insert.setBytes(5, row.metaData());
                                    insert.setBytes(6, row.payload());
                                    insert.setString(7, row.payloadRevision());
                                    insert.setString(8, row.payloadType());
                                    insert.setString(9, Instant.now().toString());
                                    insert.executeUpdate();
                                }
                                c.commit();
                                latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                                transactions.incrementAndGet();
                            }
                        } catch (SQLException e) {
                            errors.add(e);
                        }
                    },
                    "raw-baseline-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("The raw baseline failed: " + errors.get(0), errors.get(0));
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        return new Result(
                connections,
                transactions.get(),
                transactions.get() * rowsPerCommand,
                elapsed,
                transactions.get() * 1000.0 / elapsed,
                latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9));
    }
}
