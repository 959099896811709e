/** SPEC §4's budget arithmetic computed from the log alone, independently of the aggregates that enforce it. */
package org.subsidyledger.core.budget;
