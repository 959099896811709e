/**
 * SPEC §6's fiscal-sustainability alerts as a pure function of the log. {@link org.subsidyledger.core.alert.AlertEngine}
 * folds every log entry in global order, takes the entry's event time as "now", and re-evaluates the rules (one named
 * class per rule behind {@link org.subsidyledger.core.alert.AlertPolicy}); what it emits — raises and clears with their
 * event times — is the same on every rebuild, because nothing but the log goes in.
 */
package org.subsidyledger.core.alert;
