package org.subsidyledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * How far behind the log each tracking processor is (budget, alerts, history, the Kafka publisher, which stores its
 * token only once the broker has acknowledged), in milliseconds, read from the database every 100 ms: the head of
 * the log ({@code max(global_index)}) is remembered with the time it was seen; a processor whose stored position is
 * {@code p} is as far behind as the oldest remembered head beyond {@code p} is old. The figure is therefore within
 * one sampling period (plus the processor's own token-storing interval) of the true lag.
 */
final class LagSampler implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PERIOD_MILLIS = 100;

    private record Head(long atMillis, long index) {}

    private final Connection connection;
    private final Thread thread;
    private final Deque<Head> heads = new ArrayDeque<>();
    private final Map<String, Histogram> lags = new HashMap<>();
    private volatile boolean running = true;
    private volatile String error;

    LagSampler(Database database) throws SQLException {
        connection = database.connect();
        thread = new Thread(this::loop, "lag-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                sample();
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                error = e.toString();
            }
        }
    }

    private void sample() throws SQLException {
        long now = System.currentTimeMillis();
        long head;
        Map<String, Long> positions = new HashMap<>();
        try (Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT coalesce(max(global_index), -1) FROM domain_event_entry")) {
                r.next();
                head = r.getLong(1);
            }
            try (ResultSet r = s.executeQuery("SELECT processor_name, token FROM token_entry")) {
                while (r.next()) {
                    long position = position(r.getBytes(2));
                    positions.merge(r.getString(1), position, Math::min);
                }
            }
        }
        synchronized (this) {
            if (heads.isEmpty() || heads.peekLast().index() != head) {
                heads.addLast(new Head(now, head));
            }
            while (heads.size() > 2 && heads.peekFirst().atMillis() < now - 600_000) {
                heads.removeFirst();
            }
            positions.forEach((processor, position) -> {
                long behind = 0;
                for (Head h : heads) {
                    if (h.index() > position) {
                        behind = now - h.atMillis();
                        break;
                    }
                }
                lags.computeIfAbsent(processor, p -> new Histogram(3_600_000L, 3))
                        .recordValue(Math.max(0, behind));
            });
        }
    }

    /** The global index a stored token has reached (the lowest of its parts for a merged or replaying one). */
    static long position(byte[] token) {
        if (token == null) {
            return -1;
        }
        try {
            return position(JSON.readTree(token));
        } catch (IOException e) {
            return -1;
        }
    }

    private static long position(JsonNode node) {
        if (node == null || node.isNull()) {
            return -1;
        }
        if (node.has("index")) {
            return node.get("index").asLong();
        }
        if (node.has("currentToken")) {
            return position(node.get("currentToken"));
        }
        if (node.has("lowerSegmentToken")) {
            return Math.min(position(node.get("lowerSegmentToken")), position(node.get("upperSegmentToken")));
        }
        if (node.has("trackingToken")) {
            return position(node.get("trackingToken"));
        }
        return -1;
    }

    /** Lag figures since the last call (p50, p99, max in ms, per processor), and a fresh start. */
    synchronized Map<String, Map<String, Long>> takeFigures() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        lags.forEach((processor, h) -> out.put(
                processor,
                Map.of(
                        "p50Ms",
                        h.getValueAtPercentile(50),
                        "p99Ms",
                        h.getValueAtPercentile(99),
                        "maxMs",
                        h.getMaxValue(),
                        "samples",
                        h.getTotalCount())));
        lags.clear();
        return out;
    }

    String error() {
        return error;
    }

    @Override
    public void close() throws SQLException, InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2000);
        connection.close();
    }
}
