package org.subsidyledger.projections.kafka;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.subsidyledger.core.audit.LedgerSealed;
import org.subsidyledger.core.housing.HousingEvent;
import org.subsidyledger.core.program.ProgramEvent;
import org.subsidyledger.core.program.approval.ApprovalEvent;
import org.subsidyledger.core.registry.RegistryEvent;
import org.subsidyledger.core.registry.RegistryEvent.ModelDeregistered;
import org.subsidyledger.core.registry.RegistryEvent.ModelRegistered;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccreditationWithdrawn;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.voucher.VoucherEvent;

/**
 * How a ledger event looks on Kafka (SPEC §7): the record key and a CloudEvents 1.0 event whose {@code data} is the
 * event's stored JSON, byte for byte.
 *
 * <ul>
 *   <li>{@code id}: the event's identifier in the log; consumers deduplicate on it.</li>
 *   <li>{@code source}: {@code urn:subsidy-ledger:{province}}; national registry events name their country instead
 *       ({@code urn:subsidy-ledger:CN}, SPEC §11).</li>
 *   <li>{@code type}: {@code org.subsidyledger.{EventName}.v{revision}}, the revision being the stored payload
 *       revision ({@code @Revision}), so a reshaped event is a new type on the topic.</li>
 *   <li>{@code subject} and record key: the id of the thing the event is about: the voucher, the housing grant, the
 *       program, the provider or the registered model.</li>
 *   <li>Extensions {@code province} (absent on national events), {@code globalindex} (position in the whole log) and
 *       {@code aggregatesequence} (position in the event's stream: the program's for program, voucher and housing
 *       events, the provider's or model's for registry events), so a consumer can prove it missed nothing.</li>
 *   <li>Extensions {@code hash} and {@code prevhash}: the entry's place in its hash chain (docs/AUDIT.md), taken
 *       from the stored event's metadata, so a consumer can check each chain and keep the seals' hashes as an
 *       external anchor of the log.</li>
 *   <li>Seals ({@code LedgerSealed}) cover the whole ledger: {@code source} {@code urn:subsidy-ledger:national}, no
 *       {@code province}, subject and key {@code ledger-seal}.</li>
 * </ul>
 */
public final class LedgerCloudEvents {
    public static final String SOURCE_PREFIX = "urn:subsidy-ledger:";
    public static final String TYPE_PREFIX = "org.subsidyledger.";
    public static final String DATA_CONTENT_TYPE = "application/json";
    public static final String PROVINCE = "province";
    public static final String GLOBAL_INDEX = "globalindex";
    public static final String AGGREGATE_SEQUENCE = "aggregatesequence";
    public static final String HASH = "hash";
    public static final String PREV_HASH = "prevhash";
    /** The {@code source} of a seal, which covers every province and country: {@code urn:subsidy-ledger:national}. */
    public static final String NATIONAL = "national";

    /**
     * The public events of SPEC §3, and the seals (SPEC §11), each published with its own type. A new public event must be added here (and get a
     * schema in docs/schemas): the contract test walks this list.
     */
    public static final List<Class<?>> PUBLIC_EVENTS = publicEvents();

    private final Serializer serializer;

    /**
     * @param serializer the serializer the event store uses, so that {@code data} is the stored JSON (for events read
     *                   from the store it is the stored bytes themselves, not a second serialization)
     */
    public LedgerCloudEvents(Serializer serializer) {
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /** The record key and CloudEvent of an event read from the log at {@code globalIndex}. */
    public Published toCloudEvent(EventMessage<?> message, long globalIndex) {
        Object payload = message.getPayload();
        SerializedObject<byte[]> data = message.serializePayload(serializer, byte[].class);
        String key = key(message);
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(message.getIdentifier())
                .withSource(URI.create(SOURCE_PREFIX + jurisdiction(payload)))
                .withType(type(payload.getClass(), data.getType().getRevision()))
                .withSubject(key)
                .withTime(message.getTimestamp().atOffset(ZoneOffset.UTC))
                .withDataContentType(DATA_CONTENT_TYPE)
                .withData(data.getData());
        withIntegerExtension(builder, GLOBAL_INDEX, globalIndex);
        if (payload instanceof ProgramStreamEvent event) {
            builder.withExtension(PROVINCE, event.province());
        }
        if (message instanceof DomainEventMessage<?> domain) {
            withIntegerExtension(builder, AGGREGATE_SEQUENCE, domain.getSequenceNumber());
        }
        if (message.getMetaData().get("hash") instanceof String hash) {
            builder.withExtension(HASH, hash);
        }
        if (message.getMetaData().get("prevHash") instanceof String prevHash) {
            builder.withExtension(PREV_HASH, prevHash);
        }
        return new Published(key, builder.build());
    }

    /**
     * CloudEvents' Integer is 32-bit, and the SDK writes any other number as a string; positions are therefore JSON
     * integers up to 2,147,483,647 (more events than a ledger appends in decades) and decimal strings beyond.
     */
    private static void withIntegerExtension(CloudEventBuilder builder, String name, long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            builder.withExtension(name, (Integer) (int) value);
        } else {
            builder.withExtension(name, Long.toString(value));
        }
    }

    /** A record to send: its key and its value. */
    public record Published(String key, CloudEvent event) {}

    /** {@code org.subsidyledger.{EventName}.v{revision}}; an event without a revision is version 1. */
    public static String type(Class<?> payloadType, String revision) {
        return TYPE_PREFIX + payloadType.getSimpleName() + ".v" + (revision == null ? "1" : revision);
    }

    /** The id of the thing an event is about: the record key and the CloudEvent subject. */
    public static String key(EventMessage<?> message) {
        Object payload = message.getPayload();
        if (payload instanceof VoucherEvent event) {
            return event.voucherId().value();
        }
        if (payload instanceof HousingEvent event) {
            return event.grantId().value();
        }
        if (payload instanceof ProgramEvent event) {
            return event.programId().value();
        }
        if (payload instanceof ProviderAccredited event) {
            return event.providerId().value();
        }
        if (payload instanceof ProviderAccreditationWithdrawn event) {
            return event.providerId().value();
        }
        if (payload instanceof ModelRegistered event) {
            return event.filingNo().value();
        }
        if (payload instanceof ModelDeregistered event) {
            return event.filingNo().value();
        }
        // Any later log entry (a seal, an internal event): the stream it belongs to.
        if (message instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null) {
            return domain.getAggregateIdentifier();
        }
        return message.getIdentifier();
    }

    /** Province of a program's event, country of a national registry event. */
    static String jurisdiction(Object payload) {
        if (payload instanceof ProgramStreamEvent event) {
            return event.province();
        }
        if (payload instanceof RegistryEvent event) {
            return event.country();
        }
        return NATIONAL;
    }

    private static List<Class<?>> publicEvents() {
        List<Class<?>> events = new ArrayList<>();
        for (Class<?> root : List.of(
                ProgramEvent.class,
                ApprovalEvent.class,
                RegistryEvent.class,
                VoucherEvent.class,
                HousingEvent.class,
                LedgerSealed.class)) {
            collectRecords(root, events);
        }
        return List.copyOf(events);
    }

    private static void collectRecords(Class<?> type, List<Class<?>> into) {
        if (type.isRecord()) {
            into.add(type);
            return;
        }
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted != null) {
            for (Class<?> subtype : permitted) {
                collectRecords(subtype, into);
            }
        }
    }
}
