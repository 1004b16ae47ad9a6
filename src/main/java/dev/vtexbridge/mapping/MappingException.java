package dev.vtexbridge.mapping;

import java.util.List;
import java.util.stream.Collectors;

/** A SKU that cannot be mapped: terminal for the error policy (no redelivery; fix the data or the mapping). */
public class MappingException extends RuntimeException {

    private final transient List<MappingError> errors;

    public MappingException(String skuId, List<MappingError> errors) {
        super("SKU " + skuId + " cannot be mapped: " + errors.stream().map(MappingError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<MappingError> errors() {
        return errors;
    }
}
