package dev.vtexbridge.erp;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The canonical order the ERP receives once the marketplace authorized dispatch: the body of the Kafka and JMS
 * sinks, the input of the REST template, and what the SQL sink writes into {@code erp_order} / {@code erp_order_item}
 * (README "ERP order event"). Amounts are integer cents; {@code totalValue} = items + shipping. {@code connection} is the
 * connection the order was placed on, {@code marketplaceAccount} that connection's VTEX account: two marketplaces may
 * use the same marketplace order id. {@code payment} is the payment data the marketplace shared on {@code /fulfill}
 * ({@code FulfilPayment}: {@code transactionId}, {@code fromAffiliate}, {@code payments[]}, {@code connectorResponses};
 * never card data), null when it shared none.
 */
public record ErpOrder(
        String type,
        String connection,
        String marketplaceAccount,
        String marketplaceOrderId,
        String sellerOrderId,
        String marketplaceOrderGroup,
        Customer customer,
        Address shippingAddress,
        List<Item> items,
        long itemsValue,
        long shippingValue,
        long totalValue,
        JsonNode payment) {

    /** {@code type} of a released order. */
    public static final String RELEASED = "order.released";

    public record Customer(String email, String firstName, String lastName, String documentType, String document,
                          String phone) {
    }

    public record Address(String receiverName, String street, String number, String complement, String neighborhood,
                          String city, String state, String postalCode, String country) {
    }

    /** One order line: unit {@code price} and this line's {@code shippingPrice}, with the delivery option chosen. */
    public record Item(String skuId, int quantity, long price, long shippingPrice, String sla) {
    }

    /** The canonical order of a VTEX order placement (protocol A2) as it was received on a connection. */
    public static ErpOrder fromPlacement(JsonNode placement, String sellerOrderId, String connection,
                                         String marketplaceAccount) {
        return fromPlacement(placement, sellerOrderId, connection, marketplaceAccount, null);
    }

    /** The same, with the payment data shared on {@code /fulfill} (null when none). */
    public static ErpOrder fromPlacement(JsonNode placement, String sellerOrderId, String connection,
                                         String marketplaceAccount, JsonNode payment) {
        JsonNode profile = placement.path("clientProfileData");
        JsonNode address = placement.path("shippingData").path("address");
        JsonNode logistics = placement.path("shippingData").path("logisticsInfo");
        List<Item> items = new ArrayList<>();
        JsonNode lines = placement.path("items");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            JsonNode delivery = logisticsOf(logistics, i);
            items.add(new Item(line.path("id").asText(), line.path("quantity").asInt(), line.path("price").asLong(),
                    delivery.path("price").asLong(), text(delivery, "selectedSla")));
        }
        long itemsValue = items.stream().mapToLong(item -> item.price() * item.quantity()).sum();
        long shippingValue = items.stream().mapToLong(Item::shippingPrice).sum();
        return new ErpOrder(RELEASED, connection, marketplaceAccount, text(placement, "marketplaceOrderId"), sellerOrderId,
                text(placement, "marketplaceOrderGroup"),
                new Customer(text(profile, "email"), text(profile, "firstName"), text(profile, "lastName"),
                        text(profile, "documentType"), text(profile, "document"), text(profile, "phone")),
                new Address(text(address, "receiverName"), text(address, "street"), text(address, "number"),
                        text(address, "complement"), text(address, "neighborhood"), text(address, "city"),
                        text(address, "state"), text(address, "postalCode"), text(address, "country")),
                List.copyOf(items), itemsValue, shippingValue, itemsValue + shippingValue, payment);
    }

    /** The logisticsInfo entry of item {@code index} (by its itemIndex, else by position). */
    private static JsonNode logisticsOf(JsonNode logistics, int index) {
        for (JsonNode info : logistics) {
            if (info.path("itemIndex").asInt(-1) == index) {
                return info;
            }
        }
        return logistics.path(index);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
