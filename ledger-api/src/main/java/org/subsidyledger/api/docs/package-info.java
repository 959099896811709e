/**
 * The OpenAPI description served at {@code /v3/api-docs} and shown by Swagger UI: the ledger's title, version and
 * description, operations tagged by feature, HTTP Basic and bearer security schemes (so Swagger UI's Authorize
 * works), and the problem+json refusals with their SPEC codes.
 */
package org.subsidyledger.api.docs;
