package org.subsidyledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The run's figures as JSON ({@code results.json}) and a plot ({@code throughput-latency.png}), and a printed table. */
final class Report {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {}

    static Map<String, Object> phase(
            Runner.Phase p,
            long events,
            double cpuPercent,
            long heapBytes,
            long rssBytes,
            Map<String, Map<String, Long>> lag,
            String loadAverage) {
        Tally t = p.tally();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("model", p.model());
        if (p.model().equals("open")) {
            m.put("offeredPerSecond", p.offered());
            m.put("maxInFlight", p.concurrency());
        } else {
            m.put("connections", p.concurrency());
        }
        m.put("plannedSeconds", p.planned().toSeconds());
        m.put("elapsedMillis", p.elapsedMillis());
        m.put("sent", p.sent());
        m.put("unsent", p.unsent());
        m.put("acceptedPerSecond", round(p.acceptedPerSecond()));
        for (String outcome : List.of("accepted", "refused", "overloaded", "clientError", "serverError", "failed")) {
            m.put(outcome, t.count(outcome));
        }
        m.put("acceptedLatencyMs", latency(t.accepted));
        m.put("allLatencyMs", latency(t.all));
        m.put("eventsAppended", events);
        m.put("ledgerCpuPercentOfOneCore", round(cpuPercent));
        m.put("ledgerHeapUsedBytes", heapBytes);
        m.put("ledgerResidentBytes", rssBytes);
        m.put("lagMs", lag);
        m.put("loadAverage", loadAverage);
        m.put("byKind", t.counts());
        return m;
    }

    private static Map<String, Double> latency(org.HdrHistogram.Histogram h) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(50) / 1000.0);
        m.put("p99", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99) / 1000.0);
        m.put("p999", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99.9) / 1000.0);
        m.put("max", h.getTotalCount() == 0 ? null : h.getMaxValue() / 1000.0);
        return m;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static void write(Path out, Map<String, Object> results) throws IOException {
        Files.createDirectories(out);
        JSON.writeValue(out.resolve("results.json").toFile(), results);
    }

    /** Throughput and p99 of the open-model phases against the offered load, with the raw baseline for scale. */
    @SuppressWarnings("unchecked")
    static Path plot(Path out, List<Map<String, Object>> phases, double baselinePerSecond) throws IOException {
        List<Double> offered = new ArrayList<>();
        List<Double> accepted = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (Map<String, Object> p : phases) {
            if ("open".equals(p.get("model")) && p.containsKey("offeredPerSecond")) {
                offered.add((Double) p.get("offeredPerSecond"));
                accepted.add((Double) p.get("acceptedPerSecond"));
                Double q = ((Map<String, Double>) p.get("allLatencyMs")).get("p99");
                p99.add(q == null ? 0.0 : Math.max(q, 0.1));
            }
        }
        if (offered.isEmpty()) {
            throw new IllegalStateException("No open-model phase to plot");
        }
        XYChart throughput = new XYChartBuilder()
                .width(700)
                .height(450)
                .title("Accepted commands/s against offered load")
                .xAxisTitle("offered commands/s")
                .yAxisTitle("accepted commands/s")
                .build();
        throughput.addSeries("ledger", offered, accepted).setMarker(SeriesMarkers.CIRCLE);
        throughput.addSeries("offered", offered, offered).setMarker(SeriesMarkers.NONE);
        XYChart latency = new XYChartBuilder()
                .width(700)
                .height(450)
                .title("p99 latency against offered load")
                .xAxisTitle("offered commands/s")
                .yAxisTitle("p99 ms (from intended send)")
                .build();
        latency.getStyler().setYAxisLogarithmic(true);
        latency.addSeries("ledger p99", offered, p99).setMarker(SeriesMarkers.CIRCLE);
        latency.addSeries(
                        "target 50 ms", offered, offered.stream().map(x -> 50.0).toList())
                .setMarker(SeriesMarkers.NONE);
        throughput.setTitle(throughput.getTitle() + String.format(" (raw JDBC baseline %.0f tx/s)", baselinePerSecond));
        Path file = out.resolve("throughput-latency.png");
        BitmapEncoder.saveBitmap(List.of(throughput, latency), 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    /**
     * Accepted/s of each phase against the events in the store before the run, one point per results file: the runs of
     * one jar on an empty and on a generated history, side by side ({@code ledger-bench history-plot}).
     */
    @SuppressWarnings("unchecked")
    static Path historyPlot(Path file, List<Path> results) throws IOException {
        if (!file.getFileName().toString().endsWith(".png")) {
            throw new IllegalArgumentException("The plot is a .png file: " + file);
        }
        Map<String, List<Double>> sizes = new LinkedHashMap<>();
        Map<String, List<Double>> accepted = new LinkedHashMap<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Path result : results) {
            runs.add(JSON.readValue(result.toFile(), Map.class));
        }
        runs.sort(Comparator.comparingLong(r -> ((Number) r.get("eventsBeforeStart")).longValue()));
        for (Map<String, Object> run : runs) {
            double events = ((Number) run.get("eventsBeforeStart")).doubleValue();
            for (Map<String, Object> phase : (List<Map<String, Object>>) run.get("phases")) {
                String name = (String) phase.get("name");
                sizes.computeIfAbsent(name, n -> new ArrayList<>()).add(Math.max(events, 1));
                accepted.computeIfAbsent(name, n -> new ArrayList<>())
                        .add(((Number) phase.get("acceptedPerSecond")).doubleValue());
            }
        }
        if (sizes.isEmpty()) {
            throw new IllegalStateException("No phase in " + results);
        }
        XYChart chart = new XYChartBuilder()
                .width(800)
                .height(450)
                .title("Accepted/s against the events in the store before the run")
                .xAxisTitle("events in the store (log scale)")
                .yAxisTitle("accepted/s")
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        sizes.forEach((name, x) -> chart.addSeries(name, x, accepted.get(name)).setMarker(SeriesMarkers.CIRCLE));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    @SuppressWarnings("unchecked")
    static String table(List<Map<String, Object>> phases) {
        StringBuilder s = new StringBuilder(String.format(
                "%-22s %9s %9s %8s %8s %8s %8s %9s %6s %6s %7s%n",
                "phase",
                "offered/s",
                "accept/s",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "refused",
                "5xx/fail",
                "events",
                "cpu %",
                "heap MB"));
        for (Map<String, Object> p : phases) {
            Map<String, Double> l = (Map<String, Double>) p.get("allLatencyMs");
            s.append(String.format(
                    "%-22s %9s %9.1f %8s %8s %8s %8d %9s %6d %6.0f %7d%n",
                    p.get("name"),
                    p.containsKey("offeredPerSecond")
                            ? String.valueOf(p.get("offeredPerSecond"))
                            : "c" + p.get("connections"),
                    (Double) p.get("acceptedPerSecond"),
                    l.get("p50"),
                    l.get("p99"),
                    l.get("p999"),
                    (Long) p.get("refused"),
                    p.get("serverError") + "/" + ((Long) p.get("failed") + (Long) p.get("unsent")),
                    (Long) p.get("eventsAppended"),
                    (Double) p.get("ledgerCpuPercentOfOneCore"),
                    ((Long) p.get("ledgerHeapUsedBytes")) / (1024 * 1024)));
            s.append("    lag ms (p50/p99/max): ");
            ((Map<String, Map<String, Long>>) p.get("lagMs"))
                    .forEach((proc, f) -> s.append(proc)
                            .append(' ')
                            .append(f.get("p50Ms"))
                            .append('/')
                            .append(f.get("p99Ms"))
                            .append('/')
                            .append(f.get("maxMs"))
                            .append("  "));
            s.append('\n');
        }
        return s.toString();
    }
}
