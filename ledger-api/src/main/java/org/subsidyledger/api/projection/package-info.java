/**
 * Operating the projections: which event processors this node runs, how far each is behind the log (also as the
 * Micrometer gauge {@code ledger.processor.lag}), and a replay that rebuilds a projection from the log while commands
 * keep arriving ({@code POST /api/v1/admin/projections/{name}/replay}, national admin only).
 */
package org.subsidyledger.api.projection;
