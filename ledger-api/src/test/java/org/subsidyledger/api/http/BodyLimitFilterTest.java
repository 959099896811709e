package org.subsidyledger.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A body over 64 KiB is refused before anything reads it; a normal one passes. */
class BodyLimitFilterTest {

    @Test
    void refusesABodyOverTheLimitAsProblemJson() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/programs");
        request.setContent(new byte[BodyLimitFilter.MAX_BODY_BYTES + 1]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new BodyLimitFilter().doFilter(request, response, chain);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"code\":\"VALIDATION_FAILED\"");
        assertThat(chain.getRequest()).as("the request went no further").isNull();
    }

    @Test
    void letsABodyWithinTheLimitThrough() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/programs");
        request.setContent(new byte[BodyLimitFilter.MAX_BODY_BYTES]);
        MockFilterChain chain = new MockFilterChain();
        new BodyLimitFilter().doFilter(request, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isSameAs(request);
    }
}
