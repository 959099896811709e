package org.subsidyledger.api.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.core.alert.AlertThresholds;
import org.subsidyledger.projections.alert.AlertProjector;

/**
 * After a warm-up the alert processor delivers again every entry the engine has folded from the store; those
 * deliveries must not cost a deserialization each (a rebuild read the whole log twice).
 */
class AlertProjectorPayloadTest {

    @Test
    void anEntryFoldedAlreadyIsPassedOverWithoutReadingItsPayload() throws Exception {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(
                "jdbc:h2:mem:alert-payload-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "sa",
                "",
                true);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/h2")
                    .load()
                    .migrate();
            AlertProjector projector = AlertProjector.fedInIndexOrder(
                    new JdbcTemplate(dataSource), LedgerJson.newMapper(), AlertThresholds.spec());
            AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(projector);
            AtomicInteger reads = new AtomicInteger();

            handler.handle(entry(0, reads));
            handler.handle(entry(1, reads));
            assertThat(reads).as("each new entry is read to be folded").hasValue(2);

            handler.handle(entry(0, reads));
            handler.handle(entry(1, reads));
            assertThat(reads)
                    .as("entries folded already are passed over unread")
                    .hasValue(2);

            handler.handle(entry(2, reads));
            assertThat(reads).hasValue(3);
        } finally {
            dataSource.destroy();
        }
    }

    /** An entry at {@code index} whose payload counts how often it is read. */
    private static TrackedEventMessage<String> entry(long index, AtomicInteger reads) {
        GenericEventMessage<String> message = new GenericEventMessage<>("entry " + index) {
            @Override
            public String getPayload() {
                reads.incrementAndGet();
                return super.getPayload();
            }
        };
        return new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(index, List.of()), message);
    }
}
