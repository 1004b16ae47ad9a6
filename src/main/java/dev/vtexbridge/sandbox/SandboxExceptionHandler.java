package dev.vtexbridge.sandbox;

import dev.vtexbridge.web.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Keeps the sandbox's own refusals in JSON: a body that is not JSON, or not sent as application/json. */
@RestControllerAdvice(basePackageClasses = SandboxExceptionHandler.class)
@ConditionalOnSandbox
class SandboxExceptionHandler {

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, "invalid_json", "the body must be a JSON object");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> notJson(HttpMediaTypeNotSupportedException e) {
        return ApiError.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "send the body as Content-Type: application/json");
    }
}
