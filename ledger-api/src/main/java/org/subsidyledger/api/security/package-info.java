/** Authentication (HTTP Basic demo users, JWT), roles, province scoping and login throttling (SPEC §9). */
package org.subsidyledger.api.security;
