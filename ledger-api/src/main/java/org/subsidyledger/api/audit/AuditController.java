package org.subsidyledger.api.audit;

import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Text;

/**
 * SPEC §8's audit reads (AUDITOR and NATIONAL_ADMIN only, SecurityConfiguration): the NDJSON export and the
 * verification of the stored log. Both stream the log from a database cursor.
 */
@RestController
@RequestMapping(Responses.BASE + "/audit")
public class AuditController {
    public static final String NDJSON = "application/x-ndjson";
    /** The largest page a client may ask for; without {@code limit} the export runs to the end of the log. */
    public static final int MAX_LIMIT = 100_000;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final AuditLog log;

    public AuditController(AuditLog log) {
        this.log = log;
    }

    /**
     * One envelope a line, in global index order, after {@code after} (exclusive; resume with the last line's
     * globalIndex), at most {@code limit} lines.
     */
    @GetMapping(
            value = "/events",
            produces = {NDJSON, MediaType.APPLICATION_JSON_VALUE})
    public void events(
            @RequestParam(name = "after", required = false) Long after,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "aggregateId", required = false) String aggregateId,
            @RequestParam(name = "type", required = false) String type,
            @RequestParam(name = "province", required = false) String province,
            HttpServletResponse response)
            throws IOException {
        AuditLog.Filter filter = filter(after, limit, aggregateId, type, province);
        response.setContentType(NDJSON);
        response.setCharacterEncoding("UTF-8");
        OutputStream out = new BufferedOutputStream(response.getOutputStream(), 64 * 1024);
        try {
            log.read(filter, entry -> {
                try {
                    AuditEntry.JSON.writeValue(new NonClosing(out), entry.toJson());
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the client went away; nothing to answer
        }
        out.flush();
    }

    /**
     * Walks the whole stored log through the verifier; each {@code anchor=SEAL_NO:DIGEST} (a seal held outside the
     * ledger, {@link SealAnchor}) must be in it, unchanged.
     */
    @GetMapping(value = "/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    public Verification verify(@RequestParam(name = "anchor", required = false) List<String> anchors) {
        List<SealAnchor> held;
        try {
            held = SealAnchor.parseAll(anchors);
        } catch (IllegalArgumentException e) {
            throw invalid("anchor: " + e.getMessage() + ".");
        }
        LedgerVerifier verifier = new LedgerVerifier().anchoredTo(held);
        log.read(AuditLog.Filter.ALL, entry -> {
            verifier.accept(entry);
            return true;
        });
        return verifier.result();
    }

    static AuditLog.Filter filter(Long after, Integer limit, String aggregateId, String type, String province) {
        if (after != null && after < 0) {
            throw invalid("after must be a global index (0 or more), not " + after + ".");
        }
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw invalid("limit must be between 1 and " + MAX_LIMIT + "; leave it out for the whole log.");
        }
        if (aggregateId != null && !ID.matcher(aggregateId).matches()) {
            throw invalid("aggregateId '" + Text.shown(aggregateId) + "' is not an id.");
        }
        if (type != null && !EventTypes.NAMES.contains(type)) {
            throw invalid(
                    "type '" + Text.shown(type) + "' is not an event of the ledger; one of " + EventTypes.NAMES + ".");
        }
        String code = province == null ? null : Jurisdiction.parse(province).code();
        return new AuditLog.Filter(after, limit, aggregateId, type, code);
    }

    private static LedgerRejection invalid(String message) {
        return new LedgerRejection(RejectionCode.VALIDATION_FAILED, message);
    }

    /** Jackson closes the stream it writes a value to; the export writes many values to one. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // the export's stream stays open
        }
    }
}
