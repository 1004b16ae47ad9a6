package dev.vtexbridge.logistics;

import java.util.ArrayList;
import java.util.List;

import dev.vtexbridge.sync.OfferState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Where and how the seller delivers, as declared in {@code mappings/logistics.yaml}: the SLAs the fulfillment
 * simulation offers and order placement checks a selected SLA against. Read once at start-up; a broken file stops
 * the start with a message naming the file and the fields, a missing one leaves the seller shipping nowhere.
 */
@Component
public class Logistics {

    static final String FILE_NAME = "logistics.yaml";
    private static final Logger log = LoggerFactory.getLogger(Logistics.class);

    private final LogisticsDefinition definition;

    public Logistics(ResourceLoader resources, @Value("${bridge.mappings-location}") String mappingsLocation) {
        Resource file = resources.getResource(mappingsLocation + FILE_NAME);
        if (file.exists()) {
            definition = LogisticsDefinitionReader.read(file);
            log.info("Logistics: {} SLAs shipping to {} from {}", definition.rules().size(), definition.shipsTo(),
                    file.getDescription());
        } else {
            definition = LogisticsDefinition.NONE;
            log.warn("No logistics definition at {}: the simulation offers no delivery option (SLA) anywhere",
                    file.getDescription());
        }
    }

    /** Delivery options for one item to a destination; empty when postalCode is null/blank or nothing ships there. */
    public List<SlaOption> optionsFor(String country, String postalCode, OfferState offer, int quantity) {
        String code = PostalCodes.normalize(postalCode);
        if (code == null || country == null) {
            return List.of();
        }
        List<SlaOption> options = new ArrayList<>(definition.rules().size());
        for (ShippingRule rule : definition.rules()) {
            if (rule.serves(country, code)) {
                options.add(rule.option(offer, quantity, definition.defaultItemWeightGrams()));
            }
        }
        return options;
    }

    /** The ISO alpha-3 countries the seller ships to. */
    public List<String> shipsTo() {
        return definition.shipsTo();
    }

    /** The delivery channels ({@code delivery}, {@code pickup-in-point}) some SLA uses, in file order. */
    public List<String> deliveryChannels() {
        return definition.deliveryChannels();
    }
}
