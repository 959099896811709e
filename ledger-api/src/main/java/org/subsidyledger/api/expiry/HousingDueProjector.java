package org.subsidyledger.api.expiry;

import java.time.ZoneOffset;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.store.LedgerIndexProjector;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Jurisdiction;

/** Keeps {@code housing_month_due} in step with the log, in the transaction of the events (subscribing). */
@Component
@ProcessingGroup(LedgerIndexProjector.PROCESSING_GROUP)
public class HousingDueProjector {
    private final JdbcTemplate jdbc;

    public HousingDueProjector(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(HousingSubsidyGranted event) {
        Jurisdiction jurisdiction = Jurisdiction.parse(event.province());
        for (ScheduledMonth m : event.schedule()) {
            jdbc.update(
                    "INSERT INTO housing_month_due (grant_id, due_month, program_id, lapse_at) VALUES (?, ?, ?, ?)",
                    event.grantId().value(),
                    m.month().toString(),
                    event.programId().value(),
                    jurisdiction
                            .startOf(m.month().plusMonths(1L + event.claimWindowMonths()))
                            .atOffset(ZoneOffset.UTC));
        }
    }

    @EventHandler
    void on(HousingSubsidyPaid event) {
        delete(event.grantId(), List.of(event.month().toString()));
    }

    @EventHandler
    void on(HousingMonthsLapsed event) {
        delete(
                event.grantId(),
                event.months().stream()
                        .map(MonthRelease::month)
                        .map(Object::toString)
                        .toList());
    }

    @EventHandler
    void on(HousingGrantTerminated event) {
        delete(
                event.grantId(),
                event.releasedMonths().stream()
                        .map(MonthRelease::month)
                        .map(Object::toString)
                        .toList());
    }

    private void delete(GrantId grantId, List<String> months) {
        for (String month : months) {
            jdbc.update("DELETE FROM housing_month_due WHERE grant_id = ? AND due_month = ?", grantId.value(), month);
        }
    }
}
