package org.subsidyledger.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/** What a refused body is told: always VALIDATION_FAILED, naming the offending field once, with its path. */
class StrictJsonTest {
    record Inner(String name) {}

    record Outer(String id, Inner inner, List<Inner> items) {}

    @Test
    void aWellFormedBodyIsRead() {
        Outer outer = StrictJson.read(bytes("{\"id\":\"a\",\"inner\":{\"name\":\"n\"},\"items\":[]}"), Outer.class);
        assertThat(outer).isEqualTo(new Outer("a", new Inner("n"), List.of()));
    }

    @Test
    void anUnknownFieldIsNamedOnceWithItsPath() {
        assertThat(refusal("{\"id\":\"a\",\"extra\":1}")).isEqualTo("Unknown field 'extra'.");
        assertThat(refusal("{\"inner\":{\"name\":\"n\",\"extra\":1}}")).isEqualTo("Unknown field 'inner.extra'.");
        assertThat(refusal("{\"items\":[{\"name\":\"n\"},{\"extra\":1}]}"))
                .isEqualTo("Unknown field 'items.[1].extra'.");
    }

    @Test
    void wrongTypesDuplicatesAndEmptyBodiesAreRefusedWithTheirOwnMessages() {
        assertThat(refusal("{\"id\":1}")).isEqualTo("Field 'id' has the wrong type or form.");
        assertThat(refusal("{\"id\":\"a\",\"id\":\"b\"}")).isEqualTo("The request body names a field twice: id.");
        assertThat(refusal("")).isEqualTo("The request body is empty; a JSON object is required.");
        assertThat(refusal("[]")).isEqualTo("The request body must be a JSON object.");
        assertThat(refusal("{\"id\":\"a\"} {}")).isEqualTo("The request body is not well-formed JSON.");
    }

    private static String refusal(String body) {
        LedgerRejection rejection =
                catchThrowableOfType(() -> StrictJson.read(bytes(body), Outer.class), LedgerRejection.class);
        assertThat(rejection).as("refused: " + body).isNotNull();
        assertThat(rejection.code()).isEqualTo(RejectionCode.VALIDATION_FAILED);
        return rejection.getMessage();
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
