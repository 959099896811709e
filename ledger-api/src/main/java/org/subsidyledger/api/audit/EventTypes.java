package org.subsidyledger.api.audit;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.subsidyledger.projections.kafka.LedgerCloudEvents;

/** The event names of the log (SPEC §3 and the seal) and their payload classes: the export's {@code type}. */
final class EventTypes {
    static final Map<String, Class<?>> BY_NAME = LedgerCloudEvents.PUBLIC_EVENTS.stream()
            .collect(Collectors.toMap(Class::getSimpleName, c -> c, (a, b) -> a, TreeMap::new));
    static final Set<String> NAMES = new TreeSet<>(BY_NAME.keySet());

    private EventTypes() {}
}
