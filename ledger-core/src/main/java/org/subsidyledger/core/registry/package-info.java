/** The national registries: accredited compute providers and model vendors, and registered generative models. */
package org.subsidyledger.core.registry;
