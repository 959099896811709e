package org.subsidyledger.api.http;

/**
 * A request body the API reads strictly ({@link StrictJson}, SPEC §11 "Input"). Controllers take such records as
 * typed {@code @RequestBody} parameters; {@link StrictBodies} reads them, so every endpoint refuses unknown keys,
 * wrong types, deep nesting and oversized values the same way, before the controller looks anything up (400 before
 * 404).
 */
public interface StrictRequest {}
