package dev.vtexbridge.web;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The JSON error body of the engine's own APIs: {@code {"status":404,"error":"not_found","message":"..."}}. */
public record ApiError(int status, String error, String message) {

    public static ResponseEntity<ApiError> of(HttpStatus status, String error, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(status.value(), error, message));
    }

    /** For servlet filters, which answer before Spring MVC is involved. */
    public static void write(HttpServletResponse response, ObjectMapper json, HttpStatus status, String error,
                             String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), new ApiError(status.value(), error, message));
    }
}
