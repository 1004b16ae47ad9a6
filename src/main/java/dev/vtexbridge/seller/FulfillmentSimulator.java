package dev.vtexbridge.seller;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import dev.vtexbridge.logistics.Logistics;
import dev.vtexbridge.logistics.SlaOption;
import dev.vtexbridge.sync.ConnectionOffers;
import dev.vtexbridge.sync.OfferState;
import org.springframework.stereotype.Component;

/**
 * Answers a fulfillment simulation from local state only: price and stock from the {@link OfferProjection} (kept in
 * memory), SLAs from the {@link Logistics} definition. Never the ERP, never the database: VTEX gives up after 2.5 s.
 *
 * <p>Every requested item is answered, in request order with its {@code requestIndex}, because VTEX matches answers
 * to its cart by index; what cannot be sold is answered as unavailable instead of failing the whole simulation:
 * <ul>
 *   <li>unknown, inactive or unpriced SKU: {@code quantity} 0, {@code price}/{@code listPrice} 0, default unit;</li>
 *   <li>sellable SKU without available stock: its real prices, {@code quantity} 0;</li>
 *   <li>otherwise {@code quantity} = min(requested, available).</li>
 * </ul>
 * Only items with a quantity above 0 get a {@code logisticsInfo} entry, so a simulation where nothing is available
 * answers {@code logisticsInfo: []}, which VTEX reads as "unavailable" (the protocol's rule and the legacy
 * "quantity may be 0" rule together). Each line is answered on its own: a SKU asked for twice is capped twice.
 */
@Component
class FulfillmentSimulator {

    private static final String DEFAULT_UNIT = "un";

    private final ConnectionOffers offers;
    private final Logistics logistics;
    private final String merchantName;

    FulfillmentSimulator(ConnectionOffers offers, Logistics logistics, SellerProperties seller) {
        this.offers = offers;
        this.logistics = logistics;
        this.merchantName = seller.merchantNameOrNull();
    }

    /** The answer to a connection's marketplace: its prices and its share of the stock ({@link ConnectionOffers}). */
    SimulationResponse simulate(String connection, SimulationRequest request) {
        List<SimulationRequest.Item> requested = request.items();
        List<SimulationResponse.Item> items = new ArrayList<>(requested.size());
        List<SimulationResponse.LogisticsInfo> logisticsInfo = new ArrayList<>(requested.size());
        for (int index = 0; index < requested.size(); index++) {
            SimulationRequest.Item item = requested.get(index);
            ConnectionOffers.ConnectionOffer found = offers.find(connection, item.id())
                    .filter(candidate -> candidate.offer().sellable()).orElse(null);
            if (found == null) {
                items.add(unavailable(item, index));
                continue;
            }
            OfferState offer = found.offer();
            int available = found.available();
            int quantity = Math.min(item.quantity(), available);
            items.add(sellable(item, index, offer, quantity));
            if (quantity > 0) {
                logisticsInfo.add(logisticsInfo(request, index, offer, quantity, available));
            }
        }
        return new SimulationResponse(request.country(), request.postalCode(), true, items, logisticsInfo);
    }

    private SimulationResponse.Item sellable(SimulationRequest.Item item, int index, OfferState offer, int quantity) {
        long listPrice = offer.listPrice() == null ? offer.price() : offer.listPrice();
        String validUntil = offer.priceValidUntil() == null ? null
                : DateTimeFormatter.ISO_INSTANT.format(offer.priceValidUntil());
        return new SimulationResponse.Item(item.id(), index, quantity, item.seller(), offer.price(), listPrice,
                validUntil, List.of(), offer.measurementUnit(), offer.unitMultiplier(), merchantName, List.of());
    }

    private SimulationResponse.Item unavailable(SimulationRequest.Item item, int index) {
        return new SimulationResponse.Item(item.id(), index, 0, item.seller(), 0, 0, null, List.of(), DEFAULT_UNIT, 1,
                merchantName, List.of());
    }

    private SimulationResponse.LogisticsInfo logisticsInfo(SimulationRequest request, int index, OfferState offer,
                                                           int quantity, int available) {
        // One stock pool serves every channel, so each channel reports all available units.
        List<SimulationResponse.DeliveryChannel> channels = new ArrayList<>(2);
        for (String channel : logistics.deliveryChannels()) {
            channels.add(new SimulationResponse.DeliveryChannel(channel, available));
        }
        List<SlaOption> options = logistics.optionsFor(request.country(), request.postalCode(), offer, quantity);
        List<SimulationResponse.Sla> slas = new ArrayList<>(options.size());
        for (SlaOption option : options) {
            slas.add(SimulationResponse.Sla.of(option));
        }
        return new SimulationResponse.LogisticsInfo(index, quantity, logistics.shipsTo(), available, channels, slas);
    }
}
