package org.subsidyledger.api.expiry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.http.Overloaded;
import org.subsidyledger.api.store.BackgroundWork;
import org.subsidyledger.api.store.JdbcLedgerIndex;
import org.subsidyledger.api.store.JdbcLedgerIndex.VoucherLocation;
import org.subsidyledger.core.housing.HousingCommands.LapseHousingMonths;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.voucher.VoucherCommands.ExpireVoucher;

/**
 * Expires vouchers at {@code expiresAt} and lapses housing months whose claim window closed, with no request
 * (SPEC §3). Due work is found in the index tables, which live in the database, so nothing is lost on restart: the
 * sweep also runs as soon as the application is ready, expiring whatever fell due while it was down. The commands are
 * idempotent, so several nodes sweeping at once only repeat a no-op.
 */
@Component
public class ExpirySweeper {
    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);
    private static final int BATCH = 500;

    private final JdbcLedgerIndex index;
    private final JdbcTemplate jdbc;
    private final LedgerCommands commands;
    private final Clock clock;
    private final BackgroundWork background;
    private final boolean enabled;

    public ExpirySweeper(
            JdbcLedgerIndex index,
            JdbcTemplate jdbc,
            LedgerCommands commands,
            Clock clock,
            BackgroundWork background,
            @Value("${ledger.expiry.enabled:true}") boolean enabled) {
        this.index = index;
        this.jdbc = jdbc;
        this.commands = commands;
        this.clock = clock;
        this.background = background;
        this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void onStart() {
        scheduled();
    }

    /**
     * The periodic sweep, skipped while {@link BackgroundWork} is paused: the demo loader then writes history with
     * past event times and runs the sweep itself at its simulated instants.
     */
    @Scheduled(fixedDelayString = "${ledger.expiry.interval:30s}", initialDelayString = "${ledger.expiry.interval:30s}")
    public void scheduled() {
        if (enabled && background.mayRun()) {
            sweep();
        }
    }

    /** Sends every expiry and lapse due now; returns how many commands it sent. */
    public int sweep() {
        return sweep(clock.instant());
    }

    /**
     * Sends every expiry and lapse due at {@code now}, in a fixed order (due instant, then id), so that the same
     * ledger swept at the same instant appends the same events in the same order. The commands themselves decide
     * with the event clock; a caller that passes a simulated instant sets that clock to it too.
     */
    public synchronized int sweep(Instant now) {
        RequestContext system =
                new RequestContext("system", null, null, UUID.randomUUID().toString());
        int sent = 0;
        List<VoucherLocation> due;
        int batches = 0;
        do {
            due = index.vouchersDueForExpiry(now, BATCH);
            for (VoucherLocation voucher : due) {
                sent += send(new ExpireVoucher(voucher.programId(), voucher.voucherId()), system);
            }
        } while (due.size() == BATCH && ++batches < 20);
        for (Map<String, Object> row : jdbc.queryForList(
                "SELECT DISTINCT grant_id, program_id FROM housing_month_due WHERE lapse_at <= ?"
                        + " ORDER BY grant_id, program_id",
                now.atOffset(ZoneOffset.UTC))) {
            sent += send(
                    new LapseHousingMonths(
                            ProgramId.of((String) row.get("program_id")), GrantId.of((String) row.get("grant_id"))),
                    system);
        }
        return sent;
    }

    private int send(Object command, RequestContext context) {
        try {
            commands.send(command, context);
            return 1;
        } catch (LedgerRejection | Overloaded e) {
            log.warn("sweep could not send {}: {}", command, e.getMessage());
            return 0;
        }
    }
}
