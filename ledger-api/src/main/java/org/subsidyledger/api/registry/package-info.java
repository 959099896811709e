/** Registry endpoints: accredited providers and registered models. */
package org.subsidyledger.api.registry;
