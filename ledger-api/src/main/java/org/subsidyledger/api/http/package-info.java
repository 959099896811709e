/**
 * What every endpoint shares: strict request parsing, problem+json refusals, sending commands with their metadata
 * and retries, reading aggregate state for the views commands answer with.
 */
package org.subsidyledger.api.http;
