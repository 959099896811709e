/**
 * The finance bureaus' dashboard: the pages under {@code /dashboard/} (static HTML and small JavaScript modules that
 * call the JSON API as the signed-in user), and the few read endpoints only a page needs — a program's activity by
 * month with its concentration figures, and paged, searchable lists of a program's vouchers and housing grants. Every
 * answer is scoped like the rest of the read side: a province officer sees their own province only.
 */
package org.subsidyledger.api.dashboard;
