package org.subsidyledger.api.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.projections.budget.BudgetFigures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar ledger-api.jar verify FILE.ndjson}: verifies an export (SPEC §8) without the server or the database
 * — its hash chains and seals, with the same {@link LedgerVerifier} as {@code GET /audit/verify} — and recomputes the
 * §4 figures and the budget identity from its payloads ({@link ExportFigures}).
 *
 * <p>Exit status: 0 intact and the identity holds; 1 a chain, a seal or the identity is broken; 2 the file cannot be
 * read or is not an export.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Verifies an audit export (NDJSON) offline: hash chains, seals, SPEC §4 figures and the budget"
                + " identity. Exit 0 intact, 1 broken, 2 unreadable.")
public final class VerifyCommand implements Callable<Integer> {
    public static final int INTACT = 0;
    public static final int BROKEN = 1;
    public static final int UNREADABLE = 2;
    /** Files above this size show a progress bar on stderr. */
    private static final long PROGRESS_FROM_BYTES = 8L << 20;

    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "an export of GET /api/v1/audit/events (full, or" + " filtered only by aggregateId)")
    Path file;

    @Option(
            names = "--anchor",
            paramLabel = "SEAL_NO:DIGEST",
            description = "a seal held outside the ledger (from"
                    + " the LedgerSealed record on Kafka or an earlier export) that the export must hold, unchanged;"
                    + " repeatable")
    List<String> anchors = new ArrayList<>();

    private final PrintWriter out;
    private final PrintWriter err;

    public VerifyCommand(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command on {@code args} (without the leading "verify") and returns its exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine =
                new CommandLine(new VerifyCommand(out, err)).setOut(out).setErr(err);
        commandLine.setParameterExceptionHandler((e, a) -> {
            err.println(e.getMessage());
            e.getCommandLine().usage(err);
            return UNREADABLE;
        });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            err.println("verify: cannot read " + file);
            return UNREADABLE;
        }
        List<SealAnchor> held;
        try {
            held = SealAnchor.parseAll(anchors);
        } catch (IllegalArgumentException e) {
            err.println("verify: --anchor: " + e.getMessage());
            return UNREADABLE;
        }
        ExportFigures figures = new ExportFigures();
        LedgerVerifier verifier = new LedgerVerifier().anchoredTo(held).alsoFolding(figures::accept);
        long lineNo = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                ProgressBar progress = progressBar()) {
            String line;
            long read = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                read += line.length() + 1;
                if (progress != null && (lineNo & 1023) == 0) {
                    progress.stepTo(read);
                }
                if (line.isBlank()) {
                    continue;
                }
                AuditEntry entry = AuditEntry.parse(line);
                verifier.accept(entry);
            }
            if (progress != null) {
                progress.stepTo(progress.getMax());
            }
        } catch (IOException | UncheckedIOException e) {
            err.println("verify: " + file + " line " + lineNo + ": " + e.getMessage());
            return UNREADABLE;
        } catch (IllegalArgumentException e) {
            err.println("verify: " + file + " line " + lineNo + " is not an audit envelope: " + e.getMessage());
            return UNREADABLE;
        }
        return report(verifier.result(), figures);
    }

    private int report(Verification v, ExportFigures figures) {
        out.printf(
                "Entries: %d, seals: %d, entries after the last seal: %d%n", v.events(), v.seals(), v.unsealedEvents());
        if (v.lastSeal() != null) {
            out.printf(
                    "Last seal: #%d at index %d covers up to index %d, %s, hash %s%n",
                    v.lastSeal().sealNo(),
                    v.lastSeal().globalIndex(),
                    v.lastSeal().toGlobalIndex(),
                    v.lastSeal().timestamp(),
                    v.lastSeal().hash());
        }
        if (v.anchors() != null) {
            out.printf("Anchors: %d seal(s) held outside the ledger checked%n", v.anchors());
        }
        boolean inconsistent = v.kind() == Verification.Kind.INCONSISTENT;
        if (v.verified() || inconsistent) {
            out.println(
                    v.verified()
                            ? "Chains and seals: INTACT"
                            : "Chains and seals: no break before global index " + v.firstBrokenGlobalIndex());
            if (v.unsealedEvents() > 0) {
                out.printf(
                        "WARNING: %d entries after index %d are vouched for by no seal: their chains hold, but a"
                                + " tail removed or rewritten with its hashes recomputed would look the same. Verify"
                                + " again with --anchor SEAL_NO:DIGEST of a later seal taken from outside the ledger.%n",
                        v.unsealedEvents(),
                        v.lastSeal() == null ? -1 : v.lastSeal().toGlobalIndex());
            }
        } else {
            out.printf(
                    "Chains and seals: BROKEN at global index %d: %s (%s)%n",
                    v.firstBrokenGlobalIndex(), v.kind(), v.detail());
        }
        out.println("Budget (SPEC §4) per province and currency:");
        for (Map.Entry<String, BudgetFigures> e :
                figures.byProvinceAndCurrency().entrySet()) {
            BudgetFigures f = e.getValue();
            out.printf(
                    "  %s appropriated=%s committed=%s disbursed=%s paid=%s payable=%s released=%s"
                            + " available=%s clawbackDue=%s%n",
                    e.getKey(),
                    text(f.appropriated()),
                    text(f.committed()),
                    text(f.disbursed()),
                    text(f.paid()),
                    text(f.payable()),
                    text(f.released()),
                    text(f.available()),
                    text(f.clawbackDue()));
        }
        if (inconsistent) {
            out.printf(
                    "Budget identity and arithmetic: BROKEN at global index %d: %s (%s)%n",
                    v.firstBrokenGlobalIndex(), v.kind(), v.detail());
        } else if (v.verified()) {
            out.printf("Budget identity and arithmetic: hold at every entry of all %d programs%n", v.programs());
        } else {
            out.printf(
                    "Budget identity and arithmetic: hold at every entry of all %d programs up to the break%n",
                    v.programs());
        }
        out.flush();
        return v.verified() ? INTACT : BROKEN;
    }

    private ProgressBar progressBar() throws IOException {
        long size = Files.size(file);
        if (size < PROGRESS_FROM_BYTES) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("verify")
                .setInitialMax(size)
                .setUnit("MiB", 1L << 20)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .showSpeed()
                .build();
    }

    private static String text(Money money) {
        return money.amount().toPlainString();
    }
}
