package org.subsidyledger.api.http;

import java.net.URI;
import org.springframework.http.ResponseEntity;

/** SPEC §11: a command that creates something answers 201 with Location and the new view; others 200 and the view. */
public final class Responses {
    public static final String BASE = "/api/v1";

    private Responses() {}

    public static <T> ResponseEntity<T> created(String path, T view) {
        return ResponseEntity.created(URI.create(BASE + path)).body(view);
    }

    public static <T> ResponseEntity<T> ok(T view) {
        return ResponseEntity.ok(view);
    }
}
