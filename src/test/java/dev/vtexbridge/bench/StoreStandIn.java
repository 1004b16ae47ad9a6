package dev.vtexbridge.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Loopback stand-ins for {@code bench/marketplace-offers.sh} (JDK HttpServer, one port):
 * <ul>
 *   <li>the marketplace connection's VTEX store under {@code /store}: {@code GET /store/api/catalog_system/pvt/sku/
 *       stockkeepingunitbyid/{sku}} answers the SKU (brand and category of {@code mappings/connections/shop/}), and
 *       {@code POST /store/api/checkout/pub/orderForms/simulation} answers the SKU's price and its current stock
 *       ({@link #setStock}, set by the load generator before each notification) as {@code stockBalance}. Every call is
 *       counted per API family in 10 ms bins since the stand-in started;</li>
 *   <li>the external marketplace's offers endpoint {@code PUT /offers}: 200, and per SKU the offers received, the last
 *       one's {@code stock} and {@code changedAt}.</li>
 * </ul>
 * Any other call gets 404 and is counted as unexpected.
 */
final class StoreStandIn implements AutoCloseable {

    static final String CATALOG = "catalog";
    static final String CHECKOUT = "checkout";
    /** 10 ms bins, one hour. */
    static final int BIN_NANOS = 10_000_000;
    private static final int BINS = 360_000;
    private static final String SKU_PATH = "/store/api/catalog_system/pvt/sku/stockkeepingunitbyid/";
    private static final String SIMULATION_PATH = "/store/api/checkout/pub/orderForms/simulation";

    record Received(int count, int lastStock, String lastChangedAt) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final long startNanos = System.nanoTime();
    private final Map<String, AtomicIntegerArray> bins = Map.of(CATALOG, new AtomicIntegerArray(BINS),
            CHECKOUT, new AtomicIntegerArray(BINS));
    private final Map<String, AtomicLong> firstCall = Map.of(CATALOG, new AtomicLong(-1), CHECKOUT, new AtomicLong(-1));
    private final Map<String, AtomicLong> lastCall = Map.of(CATALOG, new AtomicLong(-1), CHECKOUT, new AtomicLong(-1));
    private final Map<String, Integer> stock = new ConcurrentHashMap<>();
    private final Map<String, Received> offers = new ConcurrentHashMap<>();
    private final AtomicInteger offerCount = new AtomicInteger();
    private final AtomicLong firstOffer = new AtomicLong(-1);
    private final AtomicLong lastOffer = new AtomicLong(-1);
    private final AtomicInteger unexpected = new AtomicInteger();

    StoreStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            } catch (RuntimeException e) {
                unexpected.incrementAndGet();
                exchange.sendResponseHeaders(500, -1);
            }
        });
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if ("GET".equals(method) && path.startsWith(SKU_PATH)) {
            count(CATALOG);
            answer(exchange, sku(path.substring(SKU_PATH.length())));
        } else if ("POST".equals(method) && path.equals(SIMULATION_PATH)) {
            count(CHECKOUT);
            String sku = json.readTree(body).path("items").path(0).path("id").asText();
            answer(exchange, simulation(sku, stock.getOrDefault(sku, 0)));
        } else if ("PUT".equals(method) && path.equals("/offers")) {
            JsonNode offer = json.readTree(body);
            String sku = offer.path("skuId").asText();
            int units = offer.path("stock").asInt(-1);
            String changedAt = offer.path("changedAt").asText(null);
            offers.merge(sku, new Received(1, units, changedAt),
                    (old, now) -> new Received(old.count() + 1, now.lastStock(), now.lastChangedAt()));
            offerCount.incrementAndGet();
            long now = System.nanoTime();
            firstOffer.compareAndSet(-1, now);
            lastOffer.set(now);
            answer(exchange, "{}");
        } else {
            unexpected.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
        }
    }

    private void count(String family) {
        long now = System.nanoTime();
        int bin = (int) Math.min(BINS - 1, (now - startNanos) / BIN_NANOS);
        bins.get(family).incrementAndGet(bin);
        firstCall.get(family).compareAndSet(-1, now);
        lastCall.get(family).set(now);
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The store's SKU as the Catalog API answers it: brand 2000018 and category 59, both mapped for connection shop. */
    static String sku(String id) {
        return """
                {"Id": %s, "ProductId": %s, "NameComplete": "Bench product %s", "ProductName": "Bench product %s",
                 "ProductDescription": "A product of the marketplace benchmark", "SkuName": "Default", "IsActive": true,
                 "IsProductActive": true, "BrandId": "2000018", "BrandName": "Xalingo", "ImageUrl": "http://img.example/%s.jpg",
                 "Dimension": {"cubicweight": 1.5, "height": 10, "length": 20, "weight": 500, "width": 15},
                 "Images": [{"ImageUrl": "http://img.example/%s-1.jpg", "ImageName": "", "FileId": 1}],
                 "SkuSpecifications": [{"FieldId": 102, "FieldName": "Cor", "FieldValues": ["Azul"]}],
                 "ProductSpecifications": [{"FieldId": 23, "FieldName": "Fabricante", "FieldValues": ["Xalingo"]}],
                 "ProductCategoryIds": "/59/", "ProductCategories": {"59": "Brinquedos"},
                 "AlternateIds": {"Ean": "789%s", "RefId": "REF-%s"}, "MeasurementUnit": "un", "UnitMultiplier": 1.0,
                 "SalesChannels": [1]}
                """.formatted(id, id, id, id, id, id, id, id);
    }

    static String simulation(String sku, int stockBalance) {
        return """
                {"items": [{"id": "%s", "requestIndex": 0, "quantity": 1, "seller": "1", "price": 9999, "listPrice": 12000,
                  "sellingPrice": 9999, "availability": "available",
                  "priceDefinition": {"calculatedSellingPrice": 9999, "total": 9999, "sellingPrices": []}}],
                 "logisticsInfo": [{"itemIndex": 0, "quantity": 1, "shipsTo": ["BRA"], "slas": [], "stockBalance": %d}],
                 "postalCode": null, "country": null}
                """.formatted(sku, stockBalance);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void setStock(String sku, int units) {
        stock.put(sku, units);
    }

    /** Calls of a family per 10 ms bin since the stand-in started, up to the last bin with a call. */
    int[] bins(String family) {
        AtomicIntegerArray counts = bins.get(family);
        long last = lastCall.get(family).get();
        int size = last < 0 ? 0 : (int) Math.min(BINS, (last - startNanos) / BIN_NANOS + 1);
        int[] copy = new int[size];
        for (int i = 0; i < size; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }

    long startNanos() {
        return startNanos;
    }

    long firstCallNanos(String family) {
        return firstCall.get(family).get();
    }

    long lastCallNanos(String family) {
        return lastCall.get(family).get();
    }

    int calls(String family) {
        int sum = 0;
        for (int c : bins(family)) {
            sum += c;
        }
        return sum;
    }

    Map<String, Received> offers() {
        return offers;
    }

    int offerCount() {
        return offerCount.get();
    }

    long firstOfferNanos() {
        return firstOffer.get();
    }

    long lastOfferNanos() {
        return lastOffer.get();
    }

    int unexpected() {
        return unexpected.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
