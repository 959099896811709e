package org.subsidyledger.api.history;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.store.LedgerIndexProjector;
import org.subsidyledger.core.housing.HousingEvent;
import org.subsidyledger.core.voucher.VoucherEvent;

/**
 * Records, for each voucher and housing grant, where its events lie in its program's stream ({@code entity_event}).
 * It belongs to the subscribing {@code ledger-index} group, so the row commits with the event: the view a command
 * answers with already lists the event the command appended.
 */
@Component
@ProcessingGroup(LedgerIndexProjector.PROCESSING_GROUP)
public class HistoryProjector {
    private final JdbcTemplate jdbc;

    public HistoryProjector(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(VoucherEvent event, DomainEventMessage<?> message) {
        record(EventHistory.Kind.VOUCHER, event.voucherId().value(), message);
    }

    @EventHandler
    void on(HousingEvent event, DomainEventMessage<?> message) {
        record(EventHistory.Kind.GRANT, event.grantId().value(), message);
    }

    private void record(EventHistory.Kind kind, String id, DomainEventMessage<?> message) {
        jdbc.update(
                "INSERT INTO entity_event (entity_kind, entity_id, program_id, sequence_number) VALUES (?, ?, ?, ?)",
                kind.name(),
                id,
                message.getAggregateIdentifier(),
                message.getSequenceNumber());
    }
}
