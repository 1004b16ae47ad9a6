package dev.vtexbridge.sandbox;

import dev.vtexbridge.web.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Keeps the sandbox's own refusals in JSON: a body not sent as application/json. A body that is not JSON is answered
 * for every handler by the engine's JsonRequestBodies advice.
 */
@RestControllerAdvice(basePackageClasses = SandboxExceptionHandler.class)
@ConditionalOnSandbox
class SandboxExceptionHandler {

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> notJson(HttpMediaTypeNotSupportedException e) {
        return ApiError.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "send the body as Content-Type: application/json");
    }
}
