package dev.vtexbridge.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback VTEX stand-in (JDK HttpServer): answers {@code POST /vtex/api/notificator/{seller}/changenotification/
 * {sku}/{price|inventory}} with 202, as the marketplace does, and counts the inventory notifications per SKU with the
 * time the last one arrived. Any other call gets 404 and is counted as unexpected.
 */
final class VtexStandIn implements AutoCloseable {

    private static final String PREFIX = "/vtex/api/notificator/";
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, AtomicInteger> inventory = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger unexpected = new AtomicInteger();
    private final AtomicLong lastArrival = new AtomicLong();

    VtexStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                String[] parts = path.startsWith(PREFIX) ? path.substring(PREFIX.length()).split("/") : new String[0];
                // {seller}/changenotification/{sku}/inventory
                if ("POST".equals(exchange.getRequestMethod()) && parts.length == 4 && "inventory".equals(parts[3])) {
                    inventory.computeIfAbsent(parts[2], k -> new AtomicInteger()).incrementAndGet();
                    total.incrementAndGet();
                    lastArrival.set(System.nanoTime());
                    exchange.sendResponseHeaders(202, -1);
                } else {
                    unexpected.incrementAndGet();
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void reset() {
        inventory.clear();
        total.set(0);
        unexpected.set(0);
        lastArrival.set(0);
    }

    int skusNotified() {
        return inventory.size();
    }

    int notifications() {
        return total.get();
    }

    int unexpected() {
        return unexpected.get();
    }

    int maxPerSku() {
        return inventory.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    long lastArrivalNanos() {
        return lastArrival.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
