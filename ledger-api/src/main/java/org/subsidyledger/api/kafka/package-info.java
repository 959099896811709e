/**
 * Kafka (SPEC §7, §10): the in-process KRaft broker of the embedded default, the wiring of the publisher (which
 * lives in {@code projections}), and publication lag as a metric and a health component.
 */
package org.subsidyledger.api.kafka;
