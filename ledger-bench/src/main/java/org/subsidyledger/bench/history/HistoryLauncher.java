package org.subsidyledger.bench.history;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@link HistoryGenerator} as its own JVM on the packaged ledger's classpath: Spring Boot's
 * {@code PropertiesLauncher} inside ledger-api.jar loads the ledger's classes and libraries, and {@code loader.path}
 * adds this module's classes (the plain jar next to the benchmark's, or target/classes in a build).
 */
public final class HistoryLauncher {
    private HistoryLauncher() {}

    /** Runs the generator to completion, its output going to {@code log}; fails if it does. */
    public static void run(Path ledgerJar, String databaseUrl, long events, int vouchers, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g",
                "-cp",
                ledgerJar.toAbsolutePath().toString(),
                "-Dloader.main=" + HistoryGenerator.class.getName(),
                "-Dloader.path=" + ownClasses(),
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--db-url=" + databaseUrl,
                "--events=" + events,
                "--vouchers=" + vouchers));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        Process process =
                builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("The history generator failed (exit " + exit + "); see " + log);
        }
    }

    /** Where this class was loaded from, as something PropertiesLauncher can put on a class path. */
    static String ownClasses() throws IOException {
        try {
            String location = HistoryGenerator.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toString();
            if (location.startsWith("file:") && !location.endsWith(".jar") && !location.contains("!")) {
                return Path.of(new URI(location)).toString();
            }
            // inside the repackaged ledger-bench.jar: use the plain jar Maven kept beside it
            String jar = location.replaceFirst("^jar:", "")
                    .replaceFirst("^nested:", "")
                    .replaceFirst("^file:", "");
            jar = jar.substring(0, jar.indexOf(".jar") + 4);
            Path original = Path.of(jar + ".original");
            if (Files.isRegularFile(original)) {
                Path copy = Files.createTempFile("ledger-bench-classes", ".jar");
                Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().deleteOnExit();
                return copy.toString();
            }
            throw new IllegalStateException("Cannot find the benchmark's own classes (looked for " + original + ")");
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** {@code java -cp ledger-bench.jar ...HistoryLauncher --db-url=... [--events=] [--vouchers=]}: generate only. */
    public static void main(String[] args) throws Exception {
        String url = null;
        long events = 1_000_000;
        int vouchers = 100_000;
        Path jar = Path.of("ledger-api/target/ledger-api.jar");
        for (String arg : args) {
            if (arg.startsWith("--db-url=")) {
                url = arg.substring(9);
            } else if (arg.startsWith("--events=")) {
                events = Long.parseLong(arg.substring(9));
            } else if (arg.startsWith("--vouchers=")) {
                vouchers = Integer.parseInt(arg.substring(11));
            } else if (arg.startsWith("--ledger-jar=")) {
                jar = Path.of(arg.substring(13));
            }
        }
        if (url == null) {
            System.err.println("usage: --db-url=jdbc:postgresql://127.0.0.1:5432/DB [--events=1000000]"
                    + " [--vouchers=100000] [--ledger-jar=ledger-api/target/ledger-api.jar]");
            System.exit(2);
        }
        Path log = Files.createTempFile("history-generator", ".log");
        run(jar, url, events, vouchers, log);
        System.out.print(Files.readString(log));
    }
}
