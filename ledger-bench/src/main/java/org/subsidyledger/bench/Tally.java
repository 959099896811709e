package org.subsidyledger.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Outcomes of one phase: latencies in microseconds (HdrHistogram), and counts by kind of request and by outcome —
 * accepted (2xx), refused as the rules say (409, 422), overloaded (503), other client errors (4xx), server errors
 * (other 5xx), failed (no answer).
 */
final class Tally {
    static final long MAX_MICROS = 3_600_000_000L;

    final Histogram accepted = new ConcurrentHistogram(MAX_MICROS, 3);
    final Histogram all = new ConcurrentHistogram(MAX_MICROS, 3);
    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    void record(String kind, int status, long micros) {
        String outcome = outcome(status);
        counts.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new LongAdder())
                .increment();
        long value = Math.max(1, Math.min(micros, MAX_MICROS));
        all.recordValue(value);
        if (outcome.equals("accepted")) {
            accepted.recordValue(value);
        }
    }

    static String outcome(int status) {
        if (status >= 200 && status < 300) {
            return "accepted";
        }
        if (status == 409 || status == 422) {
            return "refused";
        }
        if (status == 503) {
            return "overloaded";
        }
        if (status >= 500) {
            return "serverError";
        }
        if (status >= 400) {
            return "clientError";
        }
        return "failed";
    }

    long count(String outcome) {
        return counts.values().stream()
                .mapToLong(m -> m.containsKey(outcome) ? m.get(outcome).sum() : 0)
                .sum();
    }

    long count(String kind, String outcome) {
        Map<String, LongAdder> m = counts.get(kind);
        return m == null || !m.containsKey(outcome) ? 0 : m.get(outcome).sum();
    }

    Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((kind, m) -> {
            Map<String, Long> c = new TreeMap<>();
            m.forEach((o, n) -> c.put(o, n.sum()));
            out.put(kind, c);
        });
        return out;
    }
}
