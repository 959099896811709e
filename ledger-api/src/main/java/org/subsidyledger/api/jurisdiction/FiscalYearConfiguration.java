package org.subsidyledger.api.jurisdiction;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.subsidyledger.core.shared.FiscalCalendars;
import org.subsidyledger.core.shared.Jurisdiction;

/**
 * {@code ledger.jurisdictions.<CODE>.fiscal-year-start}: the month (1-12) a jurisdiction's fiscal year starts in, for
 * jurisdictions whose fiscal year differs from the statutory default the ledger knows (SPEC §11; CN the calendar
 * year, US states their statute's). Read once at start-up and installed into the domain's {@link FiscalCalendars};
 * an unknown jurisdiction code, a month outside 1-12 or an unknown setting stops the start with a message naming it.
 * The previous calendars are restored when the application stops.
 *
 * <p>Set it before the jurisdiction's first program: events record the fiscal year they counted in (issues,
 * appropriations), so a later change moves only what is counted from then on, and report groupings by year.
 */
@Component
public class FiscalYearConfiguration implements DisposableBean {
    static final String PREFIX = "ledger.jurisdictions";

    /** One jurisdiction's settings. */
    public record JurisdictionSettings(Integer fiscalYearStart) {}

    private final Map<Jurisdiction, Integer> previous;

    public FiscalYearConfiguration(Environment environment) {
        Map<String, JurisdictionSettings> configured = Binder.get(environment)
                .bind(
                        PREFIX,
                        Bindable.mapOf(String.class, JurisdictionSettings.class),
                        new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                .orElse(Map.of());
        Map<Jurisdiction, Integer> starts = new EnumMap<>(Jurisdiction.class);
        configured.forEach((code, settings) -> {
            String normalized = code.toUpperCase(Locale.ROOT);
            if (!Jurisdiction.isKnown(normalized)) {
                throw new IllegalStateException(PREFIX + "." + code + ": '" + code + "' is not a jurisdiction the"
                        + " ledger knows (an ISO 3166-2 code such as CN-ZJ or US-CA).");
            }
            if (settings.fiscalYearStart() == null) {
                throw new IllegalStateException(PREFIX + "." + code + ".fiscal-year-start is required.");
            }
            starts.put(Jurisdiction.parse(normalized), settings.fiscalYearStart());
        });
        try {
            previous = FiscalCalendars.install(starts);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(PREFIX + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy() {
        FiscalCalendars.install(previous);
    }
}
