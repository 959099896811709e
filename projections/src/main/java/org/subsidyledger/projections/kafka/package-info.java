/**
 * The Kafka publisher (SPEC §7): every event of the log on {@code subsidy.ledger.events} as a CloudEvents 1.0
 * structured JSON record, keyed by the id of what it is about, published by a tracking processor at least once and
 * in log order per key. The contract is docs/asyncapi.yaml with one JSON Schema per event type in docs/schemas.
 */
package org.subsidyledger.projections.kafka;
