/** The log's own entries about itself: seals that commit to what was appended (SPEC §8, docs/AUDIT.md). */
package org.subsidyledger.core.audit;
