package dev.vtexbridge.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonMappingException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * JSON bodies of the Spring MVC handlers (ops API, sandbox): checked to be UTF-8 before Jackson reads them (Jackson
 * lets overlong forms and encoded surrogates through), then read by the engine's ObjectMapper with the
 * {@link StrictJson} limits. A body that cannot be read is answered 400 {@code invalid_json} in the engine's error
 * shape, with what is wrong: the limit hit, the syntax error and where, trailing content, the field of the wrong type.
 */
@RestControllerAdvice
class JsonRequestBodies extends RequestBodyAdviceAdapter {

    private final StrictJson strict;

    JsonRequestBodies(StrictJson strict) {
        this.strict = strict;
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJackson2HttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] body = message.getBody().readAllBytes();
        try {
            StrictJson.requireUtf8(body);
        } catch (StrictJson.InvalidJson e) {
            throw new HttpMessageNotReadableException(e.getMessage(), e, message);
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }
        };
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, "invalid_json", describe(e));
    }

    private String describe(HttpMessageNotReadableException e) {
        Optional<StrictJson.InvalidJson> invalid = strict.problem(e);
        if (invalid.isPresent()) {
            return invalid.get().getMessage();
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            String field = StrictJson.fieldPath(mapping);
            return field.isEmpty() ? "request body does not have the expected shape"
                    : "field '" + field + "' has the wrong type or value";
        }
        if (e.getCause() == null && String.valueOf(e.getMessage()).startsWith("Required request body is missing")) {
            return "a JSON request body is required";
        }
        return "request body is not readable JSON";
    }
}
