package dev.vtexbridge.logistics;

import java.util.List;

/**
 * A checked logistics definition: the countries shipped to, the delivery channels offered, and the SLAs in the
 * order they are offered.
 */
record LogisticsDefinition(List<String> shipsTo, List<String> deliveryChannels, int defaultItemWeightGrams,
                           List<ShippingRule> rules) {

    static final LogisticsDefinition NONE = new LogisticsDefinition(List.of(), List.of(), 0, List.of());

    LogisticsDefinition {
        shipsTo = List.copyOf(shipsTo);
        deliveryChannels = List.copyOf(deliveryChannels);
        rules = List.copyOf(rules);
    }
}
