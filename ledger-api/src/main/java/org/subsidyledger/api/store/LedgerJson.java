package org.subsidyledger.api.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/**
 * The JSON form of everything the ledger stores: event payloads, metadata, snapshots and tokens.
 *
 * <p>It is built here, on purpose apart from Spring Boot's {@code ObjectMapper} (which the HTTP layer owns and may
 * tune with {@code spring.jackson.*} or customizers): the stored JSON is a public, versioned contract that auditors
 * read with psql and that the hash chain covers, so a setting changed for HTTP must never change what is appended or
 * how old events read back. It has the same defaults Boot's mapper starts from: Java time as ISO-8601 strings
 * ({@code Instant} "2026-03-01T00:00:00Z", {@code YearMonth} "2026-07"), unknown properties tolerated (an event read
 * by an older node after an upcast), records and parameter names supported.
 */
public final class LedgerJson {
    private LedgerJson() {}

    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .addModule(new ParameterNamesModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }
}
