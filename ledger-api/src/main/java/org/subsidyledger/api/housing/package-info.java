/** Housing endpoints: grants, claims, termination, and the grant view with its month-by-month schedule. */
package org.subsidyledger.api.housing;
