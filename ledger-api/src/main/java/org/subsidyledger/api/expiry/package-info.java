/** Expiry of vouchers and lapse of housing months, found in the database and sent with no request. */
package org.subsidyledger.api.expiry;
