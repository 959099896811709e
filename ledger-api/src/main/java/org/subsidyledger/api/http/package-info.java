/**
 * What every endpoint and filter shares, depending on no other package of the API: strict request parsing,
 * problem+json refusals ({@link org.subsidyledger.api.http.ProblemAdvice}, {@link org.subsidyledger.api.http.Overloaded}),
 * recognising an unavailable resource, and reading aggregate state for the views commands answer with. Sending
 * commands is {@code command}'s.
 */
package org.subsidyledger.api.http;
