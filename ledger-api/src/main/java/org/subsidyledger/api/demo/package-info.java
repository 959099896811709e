/**
 * The demo: {@code ./ledger --demo} (or {@code ledger.demo.enabled=true}) loads about two years of simulated history of
 * the seed scenario's programs into an empty ledger, with past event times, through the real command path, so that
 * every view, figure and alert has something to show at once.
 */
package org.subsidyledger.api.demo;
