package org.subsidyledger.api.http;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Reads every {@link StrictRequest} body with {@link StrictJson}: an {@code HttpMessageConverter} placed before
 * Jackson's, whatever the declared content type (as the API has always accepted), and an empty body refused with
 * SPEC §11's {@code VALIDATION_FAILED} rather than Spring's own message. A body a controller declares optional
 * ({@code @RequestBody(required = false)}) stays optional.
 */
@ControllerAdvice
public class StrictBodies extends RequestBodyAdviceAdapter implements WebMvcConfigurer {

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.add(0, new Converter());
    }

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return converterType == Converter.class;
    }

    @Override
    public Object handleEmptyBody(
            Object body,
            HttpInputMessage inputMessage,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        RequestBody annotation = parameter.getParameterAnnotation(RequestBody.class);
        if (body == null && (annotation == null || annotation.required())) {
            throw StrictJson.emptyBody();
        }
        return body;
    }

    /** The converter itself: reads at most one byte past the limit, so an oversized chunked body is refused too. */
    static final class Converter extends AbstractHttpMessageConverter<StrictRequest> {
        Converter() {
            super(MediaType.ALL);
        }

        @Override
        protected boolean supports(Class<?> type) {
            return StrictRequest.class.isAssignableFrom(type);
        }

        @Override
        public boolean canWrite(Class<?> type, MediaType mediaType) {
            return false;
        }

        @Override
        protected StrictRequest readInternal(Class<? extends StrictRequest> type, HttpInputMessage input)
                throws IOException {
            return StrictJson.read(input.getBody().readNBytes(BodyLimitFilter.MAX_BODY_BYTES + 1), type);
        }

        @Override
        protected void writeInternal(StrictRequest request, HttpOutputMessage output) {
            throw new UnsupportedOperationException("Request bodies are only read.");
        }
    }
}
