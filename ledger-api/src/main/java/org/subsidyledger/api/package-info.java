/** The running ledger: REST API, security, configuration, audit endpoints and the offline verifier. */
package org.subsidyledger.api;
