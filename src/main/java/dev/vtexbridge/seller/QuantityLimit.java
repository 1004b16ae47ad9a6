package dev.vtexbridge.seller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.vtexbridge.vtex.VtexErrorException;

/**
 * {@code bridge.seller.max-quantity}: the most units of one SKU a simulation or an order may ask for, on one line and
 * summed over its lines (in 64 bits, so no sum wraps). Over it is refused like stock that is not there: 400 FMT002.
 */
public record QuantityLimit(int max) {

    /** One line: {@code items[index]} asks for {@code quantity} units of {@code sku}. */
    public void checkLine(int index, String sku, int quantity) {
        if (quantity > max) {
            throw tooMany("Field 'items[" + index + "].quantity' asks for " + quantity + " units of SKU " + sku);
        }
    }

    /** Every SKU's units over all the lines of {@code request} ("order", "simulation"). */
    public <T> void checkPerSku(String request, List<T> items, Function<T, String> sku, Function<T, Integer> quantity) {
        Map<String, Long> perSku = new LinkedHashMap<>();
        items.forEach(item -> perSku.merge(sku.apply(item), quantity.apply(item).longValue(), Math::addExact));
        perSku.forEach((id, units) -> {
            if (units > max) {
                throw tooMany("The " + request + " asks for " + units + " units of SKU " + id + " over its lines");
            }
        });
    }

    private VtexErrorException tooMany(String what) {
        return new VtexErrorException(400, "FMT002", what + "; at most " + max + " are accepted");
    }
}
