package dev.vtexbridge.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Answers a bad {@code sort} parameter of any paged list with 400 {@code bad_sort} naming the sortable columns. */
@RestControllerAdvice
class BadSortHandler {

    @ExceptionHandler(TableSort.BadSortException.class)
    ResponseEntity<ApiError> badSort(TableSort.BadSortException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, "bad_sort", e.getMessage());
    }
}
