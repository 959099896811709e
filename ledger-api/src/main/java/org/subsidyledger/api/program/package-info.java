/** Program endpoints: launch, appropriation, rescission, closure, and the program view. */
package org.subsidyledger.api.program;
