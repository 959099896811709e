package org.subsidyledger.projections.alert;

import java.util.Map;
import org.subsidyledger.core.alert.Alert;

/**
 * An alert as SPEC §6 names its fields: times are ISO-8601 instants, figures decimal strings. The same shape is the
 * HTTP answer and the payload of each outbox row.
 */
public record AlertView(
        String alertId,
        String code,
        String level,
        String province,
        String city,
        String programId,
        String currency,
        String raisedAt,
        String clearedAt,
        Map<String, String> figures,
        String message) {

    public static AlertView of(Alert alert) {
        return new AlertView(
                alert.alertId(),
                alert.code().name(),
                alert.level().name(),
                alert.scope().province(),
                alert.scope().city(),
                alert.scope().programId() == null
                        ? null
                        : alert.scope().programId().value(),
                alert.scope().currency().name(),
                alert.raisedAt().toString(),
                alert.clearedAt() == null ? null : alert.clearedAt().toString(),
                alert.figures(),
                alert.message());
    }
}
