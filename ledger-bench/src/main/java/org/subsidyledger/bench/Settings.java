package org.subsidyledger.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run does, from {@code --name=value} arguments (every one optional; {@code --smoke} picks the
 * few-second run that {@code ./mvnw verify} makes).
 *
 * @param ledgerJar        the packaged ledger to start
 * @param out              directory for the JSON results, the plot and the ledger's log
 * @param programs         voucher programs (compute and model, alternating), spread over four provinces
 * @param vouchers         vouchers seeded before the load, spread over the voucher programs
 * @param grants           housing grants seeded (each gives three claimable months)
 * @param rates            offered loads of the open-model phases, commands per second
 * @param phase            length of each measured phase
 * @param warmUp           a phase at the lowest rate before the measured ones, not reported
 * @param concurrency      connections of the fixed-concurrency phase and of the raw baseline
 * @param maxInFlight      cap on requests outstanding at once in the open model (the sender then falls behind and
 *                         the wait counts in the latency, which is measured from the intended send time)
 * @param reads            whether to run the read and HTTP Basic phases
 * @param jfr              record the ledger with Java Flight Recorder into {@code out/ledger.jfr}
 * @param ledgerJvmArgs    extra JVM options for the ledger, separated by spaces
 * @param historyEvents    before the ledger starts, write a generated history of this many events (0: none)
 * @param historyVouchers  vouchers of the generated history's one program
 * @param database         run on this existing database (e.g. one with a generated history) instead of a fresh
 *                         one, and keep it afterwards
 * @param historyInMix     share of the mix's redemptions sent to the generated program's vouchers, in percent
 */
public record Settings(
        Path ledgerJar,
        Path out,
        int programs,
        int vouchers,
        int grants,
        List<Integer> rates,
        Duration phase,
        Duration warmUp,
        int concurrency,
        int maxInFlight,
        boolean reads,
        boolean jfr,
        String ledgerJvmArgs,
        String databaseServer,
        long historyEvents,
        int historyVouchers,
        String database,
        int historyInMix) {

    public static Settings parse(String... args) {
        Map<String, String> a = new HashMap<>();
        boolean smoke = false;
        for (String arg : args) {
            if (arg.equals("--smoke")) {
                smoke = true;
            } else if (arg.startsWith("--") && arg.contains("=")) {
                a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException(usage());
            } else {
                throw new IllegalArgumentException("Unknown argument " + arg + "\n" + usage());
            }
        }
        return new Settings(
                Path.of(a.getOrDefault("ledger-jar", "ledger-api/target/ledger-api.jar")),
                Path.of(a.getOrDefault("out", "ledger-bench/target/bench")),
                Integer.parseInt(a.getOrDefault("programs", "8")),
                Integer.parseInt(a.getOrDefault("vouchers", smoke ? "40" : "2000")),
                Integer.parseInt(a.getOrDefault("grants", smoke ? "10" : "400")),
                Arrays.stream(a.getOrDefault("rates", smoke ? "20" : "25,50,100,200,400")
                                .split(","))
                        .map(String::trim)
                        .map(Integer::parseInt)
                        .toList(),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("phase-seconds", smoke ? "3" : "30"))),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("warm-up-seconds", smoke ? "1" : "15"))),
                Integer.parseInt(a.getOrDefault("concurrency", smoke ? "4" : "16")),
                Integer.parseInt(a.getOrDefault("max-in-flight", "256")),
                Boolean.parseBoolean(a.getOrDefault("reads", "true")),
                Boolean.parseBoolean(a.getOrDefault("jfr", "false")),
                a.getOrDefault("ledger-jvm-args", ""),
                a.getOrDefault("database-server", "jdbc:postgresql://127.0.0.1:5432/"),
                Long.parseLong(a.getOrDefault("history-events", "0")),
                Integer.parseInt(a.getOrDefault("history-vouchers", "100000")),
                a.getOrDefault("database", ""),
                Integer.parseInt(a.getOrDefault("history-in-mix", "0")));
    }

    static String usage() {
        return """
                java -jar ledger-bench/target/ledger-bench.jar [--smoke] [--name=value ...]
                  --ledger-jar=ledger-api/target/ledger-api.jar   --out=ledger-bench/target/bench
                  --programs=8 --vouchers=2000 --grants=400       --rates=25,50,100,200,400 (commands/s)
                  --phase-seconds=30 --warm-up-seconds=15         --concurrency=16 --max-in-flight=256
                  --reads=true --jfr=false --ledger-jvm-args="-Xmx1g"
                  --database-server=jdbc:postgresql://127.0.0.1:5432/ (user postgres; a fresh database per run)
                  --history-events=0 --history-vouchers=100000 (generate a history first)
                  --database=NAME (an existing database, kept) --history-in-mix=0 (% of redemptions on its program)
                java -jar ledger-bench/target/ledger-bench.jar generate --db-url=jdbc:postgresql://127.0.0.1:5432/DB \
                  [--events=1000000] [--vouchers=100000]   (only write a history into an existing empty database)""";
    }
}
