package dev.vtexbridge.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the list parameters of any paged list that cannot be served: 400 {@code bad_sort} naming the sortable
 * columns, 400 {@code bad_paging} naming the bounds.
 */
@RestControllerAdvice
class ListRequestErrors {

    @ExceptionHandler(TableSort.BadSortException.class)
    ResponseEntity<ApiError> badSort(TableSort.BadSortException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, "bad_sort", e.getMessage());
    }

    @ExceptionHandler(Paging.BadPagingException.class)
    ResponseEntity<ApiError> badPaging(Paging.BadPagingException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, "bad_paging", e.getMessage());
    }
}
