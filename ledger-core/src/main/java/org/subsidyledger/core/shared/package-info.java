/**
 * Values every feature shares: money and ratios, typed identifiers, jurisdictions with their time zones and
 * fiscal years, USCC validation, sectors, and the rejection codes in precedence order.
 */
package org.subsidyledger.core.shared;
