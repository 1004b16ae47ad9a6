package dev.vtexbridge.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The sandbox's simulated VTEX store, for the External Marketplace role (served under {@code /sandbox/store} by
 * {@link SandboxStoreController}): a small fixture catalog (six SKUs of category 59, brand 2000018, as
 * {@code mappings/connections/shop/} maps them) with prices and stock kept in memory, the fulfillment orders placed
 * on it, and the calls a VTEX store makes on its own: now and then it changes a SKU's price or stock and posts an
 * affiliate notification to every marketplace connection whose store it is ({@code vtex.api-url} under
 * {@code /sandbox/store}); {@code invoice-after} after an order's dispatch was authorized it posts the invoice, then
 * the tracking, to the order's {@code marketplaceServicesEndpoint} ({@code /pub/orders/{marketplaceOrderId}/invoice}),
 * and after a cancellation it posts {@code /pvt/orders/{marketplaceOrderId}/cancel} there.
 */
@Component("sandboxStore") // always a bean, so its routes exist; they only start with the sandbox
public class SandboxStore {

    private static final Logger log = LoggerFactory.getLogger(SandboxStore.class);
    static final String BASE = "/sandbox/store";

    /** One SKU of the fixture: price and list price in cents, units available. */
    static final class Sku {
        final String id;
        final String name;
        volatile long price;
        final long listPrice;
        volatile int stock;

        Sku(String id, String name, long price, long listPrice, int stock) {
            this.id = id;
            this.name = name;
            this.price = price;
            this.listPrice = listPrice;
            this.stock = stock;
        }
    }

    /** An order placed on the store: its VTEX id {@code {affiliateId}-{marketplaceOrderId}}, what it is at. */
    public record StoreOrder(String orderId, String marketplaceOrderId, String affiliateId, String servicesEndpoint,
                             String status, long value, JsonNode items, Instant placedAt, Instant invoiceAt) {
        StoreOrder with(String newStatus, Instant newInvoiceAt) {
            return new StoreOrder(orderId, marketplaceOrderId, affiliateId, servicesEndpoint, newStatus, value, items,
                    placedAt, newInvoiceAt);
        }
    }

    private final Map<String, Sku> skus = new LinkedHashMap<>();
    private final Map<String, StoreOrder> orders = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Connections connections;
    private final ObjectMapper json;
    private final Clock clock;
    private final Environment env;

    public SandboxStore(Connections connections, ObjectMapper json, Clock clock, Environment env) {
        this.connections = connections;
        this.json = json;
        this.clock = clock;
        this.env = env;
        add(new Sku("2001773", "Tabela de Basquete", 9999, 12000, 12));
        add(new Sku("2001774", "Bola de Basquete", 4990, 5990, 30));
        add(new Sku("2001775", "Patinete Infantil", 19990, 24990, 6));
        add(new Sku("2001776", "Bicicleta Aro 16", 49990, 59990, 4));
        add(new Sku("2001777", "Cama Elástica", 89990, 99990, 2));
        add(new Sku("2001778", "Piscina de Bolinhas", 15990, 17990, 9));
    }

    private void add(Sku sku) {
        skus.put(sku.id, sku);
    }

    /** {@code GET /api/catalog_system/pvt/sku/stockkeepingunitbyid/{skuId}} as the Catalog API answers it, or null. */
    ObjectNode sku(String id) {
        Sku sku = skus.get(id);
        if (sku == null) {
            return null;
        }
        ObjectNode node = json.createObjectNode();
        node.put("Id", Long.parseLong(sku.id)).put("ProductId", Long.parseLong(sku.id) - 347).put("NameComplete", sku.name)
                .put("ProductName", sku.name).put("ProductDescription", sku.name + " (sandbox store)").put("SkuName", sku.name)
                .put("IsActive", true).put("IsProductActive", true).put("BrandId", "2000018").put("BrandName", "Xalingo")
                .put("ImageUrl", "https://sandbox.example/images/" + sku.id + "-55-55.jpg")
                .put("DetailUrl", "/" + sku.id + "/p").put("ProductCategoryIds", "/59/")
                .put("MeasurementUnit", "un").put("UnitMultiplier", 1.0).put("IsKit", false);
        node.putObject("Dimension").put("cubicweight", 1.0).put("height", 30).put("length", 40).put("weight", 2000)
                .put("width", 20);
        node.putArray("Images").addObject().put("ImageUrl", "http://sandbox.example/images/" + sku.id + ".jpg")
                .put("ImageName", sku.name).put("FileId", Long.parseLong(sku.id));
        node.putArray("SkuSpecifications").addObject().put("FieldId", 102).put("FieldName", "Cor")
                .set("FieldValues", json.createArrayNode().add("Padrão"));
        node.putArray("ProductSpecifications").addObject().put("FieldId", 23).put("FieldName", "Fabricante")
                .set("FieldValues", json.createArrayNode().add("Xalingo"));
        node.putObject("ProductCategories").put("59", "Brinquedos");
        node.putObject("AlternateIds").put("Ean", "789" + sku.id).put("RefId", "SBX-" + sku.id);
        node.putArray("SalesChannels").add(1);
        return node;
    }

    /** {@code GET …/stockkeepingunitidsbysaleschannel}: page {@code page} (from 1) of the SKU ids. */
    List<Long> ids(int page, int pageSize) {
        List<String> all = new ArrayList<>(skus.keySet());
        int from = Math.max(0, (page - 1) * pageSize);
        return all.subList(Math.min(from, all.size()), Math.min(from + pageSize, all.size())).stream()
                .map(Long::parseLong).toList();
    }

    /** The checkout simulation of the items: price and {@code stockBalance} per item; an unknown SKU is left out. */
    ObjectNode simulate(JsonNode request) {
        ObjectNode answer = json.createObjectNode();
        ArrayNode items = answer.putArray("items");
        ArrayNode logistics = answer.putArray("logisticsInfo");
        int index = 0;
        for (JsonNode item : request.path("items")) {
            Sku sku = skus.get(item.path("id").asText());
            if (sku == null) {
                continue;
            }
            int quantity = Math.max(1, item.path("quantity").asInt(1));
            boolean available = sku.stock >= quantity;
            items.addObject().put("id", sku.id).put("requestIndex", index).put("quantity", available ? quantity : 0)
                    .put("seller", "1").put("price", sku.price).put("listPrice", sku.listPrice)
                    .put("sellingPrice", sku.price).put("measurementUnit", "un").put("unitMultiplier", 1)
                    .put("availability", available ? "available" : "withoutStock")
                    .putObject("priceDefinition").put("calculatedSellingPrice", sku.price).put("total", sku.price * quantity);
            ObjectNode info = logistics.addObject().put("itemIndex", index).put("quantity", available ? quantity : 0)
                    .put("stockBalance", sku.stock);
            info.putArray("shipsTo").add("BRA");
            info.putArray("slas").addObject().put("id", "Normal").put("name", "Normal").put("deliveryChannel", "delivery")
                    .put("price", 1500).put("listPrice", 1500).put("shippingEstimate", "3bd");
            index++;
        }
        answer.set("postalCode", request.path("postalCode"));
        answer.set("country", request.path("country"));
        answer.putArray("messages");
        return answer;
    }

    /**
     * {@code POST /api/fulfillment/pvt/orders?sc=&affiliateId=}: places the order (its stock taken), or says why not;
     * the same {@code marketplaceOrderId} twice is the same order.
     */
    synchronized StoreOrder place(String affiliateId, JsonNode order) {
        String marketplaceOrderId = order.path("marketplaceOrderId").asText();
        String orderId = affiliateId + "-" + marketplaceOrderId;
        StoreOrder known = orders.get(orderId);
        if (known != null) {
            return known;
        }
        for (JsonNode item : order.path("items")) {
            Sku sku = skus.get(item.path("id").asText());
            if (sku == null || sku.stock < item.path("quantity").asInt(1)) {
                throw new IllegalStateException("ORDER027: SKU " + item.path("id").asText() + " has no stock for this order");
            }
        }
        for (JsonNode item : order.path("items")) {
            skus.get(item.path("id").asText()).stock -= item.path("quantity").asInt(1);
        }
        StoreOrder placed = new StoreOrder(orderId, marketplaceOrderId, affiliateId,
                order.path("marketplaceServicesEndpoint").asText(null), "waiting-ffmt-authorization",
                order.path("marketplacePaymentValue").asLong(), order.path("items"), clock.instant(), null);
        orders.put(orderId, placed);
        return placed;
    }

    /** {@code POST /api/fulfillment/pvt/orders/{orderId}/fulfill}: dispatch authorized, invoiced a little later. */
    StoreOrder fulfil(String orderId) {
        return orders.computeIfPresent(orderId, (id, order) -> "waiting-ffmt-authorization".equals(order.status())
                ? order.with("ready-for-handling", clock.instant().plus(invoiceAfter())) : order);
    }

    /** {@code POST /api/oms/pvt/orders/{orderId}/cancel}: cancelled (stock back) unless invoiced already; null: unknown. */
    StoreOrder cancel(String orderId) {
        StoreOrder order = orders.get(orderId);
        if (order == null) {
            return null;
        }
        if (order.status().equals("invoiced")) {
            throw new IllegalStateException("order " + orderId + " is invoiced: a return (Input) invoice comes first");
        }
        if (!order.status().equals("canceled")) {
            for (JsonNode item : order.items()) {
                Sku sku = skus.get(item.path("id").asText());
                if (sku != null) {
                    sku.stock += item.path("quantity").asInt(1);
                }
            }
            order = order.with("canceled", null);
            orders.put(orderId, order);
            callBack(order, "/pvt/orders/" + order.marketplaceOrderId() + "/cancel", json.createObjectNode());
        }
        return order;
    }

    public List<StoreOrder> orders() {
        return orders.values().stream().sorted((a, b) -> b.placedAt().compareTo(a.placedAt())).toList();
    }

    /** Timer step: changes one SKU's price or stock and notifies the affiliates of it; returns how many it notified. */
    public int changeSomething() {
        List<Sku> all = new ArrayList<>(skus.values());
        Sku sku = all.get(ThreadLocalRandom.current().nextInt(all.size()));
        boolean price = ThreadLocalRandom.current().nextBoolean();
        if (price) {
            long step = Math.max(10, sku.listPrice / 50);
            sku.price = Math.max(sku.listPrice / 2, Math.min(sku.listPrice, sku.price + (ThreadLocalRandom.current().nextBoolean()
                    ? step : -step)));
        } else {
            sku.stock = sku.stock < 3 ? sku.stock + 10 : sku.stock - 1;
        }
        int notified = 0;
        for (Connection connection : servedConnections()) {
            ObjectNode notification = json.createObjectNode().put("IdSku", sku.id).put("ProductId", Long.parseLong(sku.id) - 347)
                    .put("An", connection.vtex().account()).put("IdAffiliate", connection.vtex().affiliateId())
                    .put("DateModified", clock.instant().toString()).put("IsActive", true)
                    .put("StockModified", !price).put("PriceModified", price).put("HasStockKeepingUnitModified", false)
                    .put("HasStockKeepingUnitRemovedFromAffiliate", false);
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(engineUrl()
                                + "/marketplace/" + connection.id() + "/api/notification"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("X-Bridge-Token", connection.endpoint().token())
                        .POST(HttpRequest.BodyPublishers.ofString(notification.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    notified++;
                } else {
                    log.info("Sandbox store: notification of SKU {} to connection {} answered {}", sku.id, connection.id(),
                            answer.statusCode());
                }
            } catch (Exception e) {
                log.info("Sandbox store: notification of SKU {} to connection {} failed: {}", sku.id, connection.id(),
                        e.getMessage());
            } 
        }
        return notified;
    }

    /** Timer step: invoices, then tracks, the orders whose time came, at their services endpoint; returns how many. */
    public int invoiceDue() {
        int sent = 0;
        for (StoreOrder order : List.copyOf(orders.values())) {
            if (order.invoiceAt() == null || order.invoiceAt().isAfter(clock.instant())) {
                continue;
            }
            boolean invoicing = order.status().equals("ready-for-handling");
            ObjectNode body = json.createObjectNode().put("type", "Output").put("invoiceNumber", "NF-" + order.orderId())
                    .put("courier", invoicing ? "" : "Sandbox Courier")
                    .put("trackingNumber", invoicing ? "" : "SBX" + Math.abs(order.orderId().hashCode()))
                    .put("trackingUrl", invoicing ? "" : "https://tracking.sandbox.example/" + order.orderId())
                    .put("issuanceDate", clock.instant().toString()).put("invoiceValue", order.value());
            ArrayNode items = body.putArray("items");
            order.items().forEach(item -> items.addObject().put("id", item.path("id").asText())
                    .put("quantity", item.path("quantity").asInt(1)).put("price", item.path("price").asLong()));
            callBack(order, "/pub/orders/" + order.marketplaceOrderId() + "/invoice", body);
            orders.put(order.orderId(), invoicing ? order.with("invoiced", clock.instant().plus(invoiceAfter()))
                    : order.with("invoiced", null));
            sent++;
        }
        return sent;
    }

    /** A call to the order's services endpoint; its answer is only logged (the sandbox keeps no retry of its own). */
    private void callBack(StoreOrder order, String path, JsonNode body) {
        if (order.servicesEndpoint() == null || order.servicesEndpoint().isBlank()) {
            return;
        }
        String endpoint = order.servicesEndpoint();
        int query = endpoint.indexOf('?');
        String url = (query < 0 ? endpoint : endpoint.substring(0, query)).replaceAll("/+$", "") + path
                + (query < 0 ? "" : endpoint.substring(query));
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            log.info("Sandbox store: {} of order {} answered {}", path, order.orderId(), answer.statusCode());
        } catch (Exception e) {
            log.info("Sandbox store: {} of order {} failed: {}", path, order.orderId(), e.getMessage());
        }
    }

    /** The enabled marketplace connections whose VTEX store is this one. */
    List<Connection> servedConnections() {
        return connections.marketplaces().stream()
                .filter(c -> c.vtex().apiUrl() != null && c.vtex().apiUrl().contains(BASE)).toList();
    }

    private Duration invoiceAfter() {
        return env.getProperty("bridge.sandbox.store.invoice-after", Duration.class, Duration.ofSeconds(10));
    }

    private String engineUrl() {
        return "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }

    static String receipt() {
        return UUID.randomUUID().toString();
    }
}
