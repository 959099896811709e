/** Per-jurisdiction settings read at start-up: fiscal-year calendars (SPEC §11). */
package org.subsidyledger.api.jurisdiction;
