package dev.vtexbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The External Seller endpoints benchmark; {@code bench/seller-endpoints.sh} starts the packaged engine and runs this
 * against it. It seeds the offer projection through {@code POST /ops/api/projection}, warms up, then measures:
 * the indexing simulation (1 item, no postal code) and the checkout simulation (10 items, postal code) open loop at
 * fixed rates; saturation throughput (closed loop) of the simulation against a baseline endpoint of the same server
 * that answers a precomputed body of the same size; and order placement open loop. It prints a table and appends it,
 * with machine, JDK, date and command, to {@code bench/RESULTS.md}.
 * <p>
 * Settings are system properties {@code bench.*} (see the fields); the credentials come from the environment
 * variables the engine reads: BRIDGE_SELLER_APP_KEY, BRIDGE_SELLER_APP_TOKEN, BRIDGE_OPS_TOKEN, and with
 * {@code bench.connections} n &gt; 1 also BRIDGE_CONNECTIONS_BENCH&lt;i&gt;_ENDPOINT_APP_KEY/_TOKEN for i = 1 … n-1: every
 * phase then spreads its requests over the n connections.
 */
public final class SellerEndpointsBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POSTAL_CODE = "22270-030";
    private static final String SLA = "Standard";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Offers per seeding call: about 800 KB of JSON, within the engine's default 1 MB limit on ops bodies. */
    private static final int SEED_BATCH = 4_000;
    private static final String SIMULATION_ROUTE = "fulfillment-simulation";
    private static final DateTimeFormatter GC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final String url = System.getProperty("bench.url", "http://localhost:8080");
    private final String basePath = System.getProperty("bench.base-path", "/seller");
    private final String sellerId = System.getProperty("bench.seller-id", "bridgeseller");
    private final int skus = Integer.getInteger("bench.skus", 100_000);
    private final double scale = Double.parseDouble(System.getProperty("bench.scale", "1"));
    private final int workers = Integer.getInteger("bench.workers", 16);
    private final Path results = Path.of(System.getProperty("bench.results", "bench/RESULTS.md"));
    private final String command = System.getProperty("bench.command", "bench/seller-endpoints.sh");
    private final String engine = System.getProperty("bench.engine", "");
    private final List<Endpoint> endpoints = endpoints(Integer.getInteger("bench.connections", 1));
    private final String opsToken = System.getenv("BRIDGE_OPS_TOKEN");
    private final long enginePid = Long.getLong("bench.engine-pid", -1);
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** The seller endpoints of one connection: its base path ({@code /seller} or {@code /seller/<id>}) and credentials. */
    private record Endpoint(String id, String base, String appKey, String appToken) {
    }

    /** An order body (marketplace order id {@code @ORDER@}) and the connection it is placed on. */
    private record OrderTemplate(Endpoint endpoint, String body) {
    }

    /**
     * Connection {@code default}, then {@code bench1} … {@code bench<n-1>} as {@code bench/seller-endpoints.sh} configures
     * them for BENCH_CONNECTIONS=n, with the endpoint credentials it exports to the engine.
     */
    private List<Endpoint> endpoints(int connections) {
        List<Endpoint> all = new ArrayList<>();
        all.add(new Endpoint("default", basePath, System.getenv("BRIDGE_SELLER_APP_KEY"), System.getenv("BRIDGE_SELLER_APP_TOKEN")));
        for (int i = 1; i < connections; i++) {
            String env = "BRIDGE_CONNECTIONS_BENCH" + i + "_ENDPOINT_APP_";
            all.add(new Endpoint("bench" + i, basePath + "/bench" + i, System.getenv(env + "KEY"), System.getenv(env + "TOKEN")));
        }
        return List.copyOf(all);
    }

    /** One line of the results table; {@code pass} is null when there is no target or nothing was measured. */
    private record Row(String phase, String load, String figures, String target, Boolean pass) {
    }

    public static void main(String[] args) throws Exception {
        SellerEndpointsBench bench = new SellerEndpointsBench();
        try (LoadGenerator load = new LoadGenerator(2_000)) {
            bench.run(load);
        }
    }

    private void run(LoadGenerator load) throws Exception {
        String loadBefore = loadAverage();
        long seedStart = System.nanoTime();
        seed(load);
        notes.add(String.format(Locale.ROOT, "Projection: %,d SKUs seeded through POST /ops/api/projection (%,d per call) in %.1f s.",
                skus, SEED_BATCH, (System.nanoTime() - seedStart) / 1e9));
        long settleStart = System.nanoTime();
        boolean settled = settle(load);
        notes.add(String.format(Locale.ROOT, "Start-up work of the engine (the sandbox's demo catalog through every "
                        + "connection's catalog flow, until each marketplace bound every SKU) %s after %.0f s more, "
                        + "before the first phase.", settled ? "done" : "still not done", (System.nanoTime() - settleStart) / 1e9));

        String simulation = "/pvt/orderForms/simulation";
        String baseline = "/pvt/bench/baseline";
        Random random = new Random(42);
        List<String> indexing = pool(4096, () -> simulationBody(1, random, false));
        List<String> checkout = pool(2048, () -> simulationBody(10, random, true));
        LongFunction<HttpRequest> indexingSimulation = cycle(simulation, indexing);
        LongFunction<HttpRequest> checkoutSimulation = cycle(simulation, checkout);
        LongFunction<HttpRequest> indexingBaseline = cycle(baseline, indexing);
        Predicate<HttpResponse<byte[]>> ok200 = response -> response.statusCode() == 200;

        if (endpoints.size() > 1) {
            notes.add(String.format(Locale.ROOT, "Connections: %d (default and %s, each of those with the mapping overlays of "
                    + "mappings/connections/outlet/: 10 %% below the ERP price, 50 %% of the stock); every phase sends its "
                    + "requests to the connections in turn, each on its own path with its own credentials.",
                    endpoints.size(), endpoints.stream().skip(1).map(Endpoint::id).collect(java.util.stream.Collectors.joining(", "))));
        }
        boolean simulationUp = probeSimulation(load, simulation);
        int baselineBytes = probeBytes(load, baseline, indexing.get(0));
        if (simulationUp) {
            // Both JVMs (engine and generator) are warmed at the measured rates: a cold generator alone falls behind
            // a 1,000 req/s schedule for its first seconds, and that backlog would be charged to the engine.
            log("warm-up: indexing and checkout simulation, baseline");
            load.openLoop("warm-up", 1000, seconds(30), indexingSimulation, ok200);
            load.openLoop("warm-up", 200, seconds(10), checkoutSimulation, ok200);
            load.closedLoop("warm-up", workers, seconds(5), indexingBaseline, ok200);

            LoadGenerator.Outcome index = measured(SIMULATION_ROUTE,
                    () -> load.openLoop("indexing", 1000, seconds(60), indexingSimulation, ok200));
            rows.add(openRow("Simulation, indexing shape (1 item, no postal code)", 1000, index,
                    "p99 ≤ 50 ms, p99.9 ≤ 200 ms, no errors", index.ms(99) <= 50 && index.ms(99.9) <= 200));

            // Reference without a target: the baseline on the same schedule shows the tail the server, the machine and
            // the generator add by themselves.
            LoadGenerator.Outcome reference = measured("baseline",
                    () -> load.openLoop("indexing-rate-baseline", 1000, seconds(30), indexingBaseline, ok200));
            rows.add(openRow("Baseline endpoint at the indexing rate (reference)", 1000, reference, "", null));

            LoadGenerator.Outcome cart = measured(SIMULATION_ROUTE,
                    () -> load.openLoop("checkout", 200, seconds(60), checkoutSimulation, ok200));
            rows.add(openRow("Simulation, checkout shape (10 items, postal code)", 200, cart,
                    "p99 ≤ 150 ms", cart.ms(99) <= 150));

            // Baseline and simulation take turns in 5 s slices, so a change of background load on the machine
            // touches both alike.
            LoadGenerator.Outcome base = null;
            LoadGenerator.Outcome sim = null;
            for (int slice = 0; slice < 4; slice++) {
                LoadGenerator.Outcome b = load.closedLoop("saturation-baseline", workers, seconds(5), indexingBaseline, ok200);
                LoadGenerator.Outcome m = load.closedLoop("saturation-simulation", workers, seconds(5), indexingSimulation, ok200);
                base = base == null ? b : base.plus(b);
                sim = sim == null ? m : sim.plus(m);
            }
            logged(base, "4 slices of 5 s");
            logged(sim, "4 slices of 5 s, interleaved with the baseline's");
            double ratio = sim.throughput() / base.throughput();
            rows.add(closedRow("Saturation, baseline endpoint (precomputed body)", base, "", null));
            rows.add(closedRow("Saturation, simulation (indexing shape)", sim,
                    "≥ 70 % of baseline", ratio >= 0.70 && sim.errors() == 0));
            notes.add(String.format(Locale.ROOT, "Saturation: simulation %.0f req/s = %.0f %% of the baseline's %.0f req/s "
                            + "(%d closed-loop workers each). Mean answer size: simulation %d bytes, baseline %d bytes.",
                    sim.throughput(), 100 * ratio, base.throughput(), workers, sim.meanResponseBytes(), baselineBytes));
        } else {
            rows.add(new Row("Simulation (indexing, checkout, saturation)", "—", "not available (endpoint answered 404)",
                    "", null));
        }
        orders(load, simulationUp);
        notes.add("Whole run (seeding included), " + gcPauses(Instant.EPOCH, Instant.now()) + ".");
        notes.add("Load average (1, 5, 15 min) of the machine before the run: " + loadBefore + "; after: " + loadAverage()
                + " (well above 0 before the run means other work shared the cores).");
        report();
    }

    /**
     * Waits (at most 5 minutes) until the engine is done with its start-up work, so the phases measure the seller
     * endpoints and not that: every channel whose depth can be read empty and no SKU waiting for a marketplace's
     * approval on any connection, three polls in a row. With n connections the demo catalog goes through the catalog
     * flow n times, which would otherwise overlap the first phases of a run with many connections far more than one
     * with one.
     */
    private boolean settle(LoadGenerator load) throws Exception {
        log("waiting for the engine's start-up work to finish");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (int quiet = 0; System.nanoTime() < deadline; Thread.sleep(1000)) {
            long queued = 0;
            for (JsonNode queue : ops(load, "/ops/api/dashboard").path("queues")) {
                queued += queue.path("depth").asLong(0);
            }
            long suggested = 0;
            for (JsonNode connection : ops(load, "/ops/api/connections").path("items")) {
                suggested += connection.path("offersByStatus").path("suggested").asLong(0);
            }
            quiet = queued == 0 && suggested == 0 ? quiet + 1 : 0;
            if (quiet == 3) {
                return true;
            }
        }
        return false;
    }

    private JsonNode ops(LoadGenerator load, String path) throws Exception {
        HttpResponse<byte[]> response = load.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + opsToken).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered HTTP " + response.statusCode() + " " + text(response));
        }
        return JSON.readTree(response.body());
    }

    // --- seeding --------------------------------------------------------------------------------------------------

    /** Stock in warehouse "main", one the stock rules count, so another connection's rules have a pool to share. */
    private void seed(LoadGenerator load) throws Exception {
        log("seeding " + skus + " SKUs");
        for (int from = 0; from < skus; from += SEED_BATCH) {
            StringJoiner batch = new StringJoiner(",", "[", "]");
            for (int i = from; i < Math.min(skus, from + SEED_BATCH); i++) {
                batch.add(String.format(Locale.ROOT, "{\"skuId\":\"%s\",\"price\":%d,\"listPrice\":%d,\"active\":true,"
                                + "\"measurementUnit\":\"un\",\"unitMultiplier\":1,\"weightGrams\":%d,\"heightCm\":10,"
                                + "\"widthCm\":15,\"lengthCm\":20,\"stockByWarehouse\":{\"main\":%d}}",
                        sku(i), price(i), price(i) + price(i) / 5, 100 + (i % 40) * 50, stock(i)));
            }
            HttpResponse<byte[]> response = load.send(HttpRequest.newBuilder(URI.create(url + "/ops/api/projection"))
                    .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + opsToken)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("seeding failed: HTTP " + response.statusCode() + " " + text(response));
            }
        }
    }

    private static String sku(int i) {
        return String.format(Locale.ROOT, "BENCH-%06d", i);
    }

    private static long price(int i) {
        return 990 + (i * 37L) % 50_000;
    }

    /** Every 50th SKU is out of stock, as in a real catalog; the others have 100 to 499 units. */
    private static int stock(int i) {
        return i % 50 == 0 ? 0 : 100 + i % 400;
    }

    // --- simulation -----------------------------------------------------------------------------------------------

    private String simulationBody(int items, Random random, boolean withAddress) {
        StringJoiner list = new StringJoiner(",", "[", "]");
        for (int n = 0; n < items; n++) {
            list.add("{\"id\":\"" + sku(random.nextInt(skus)) + "\",\"quantity\":" + (1 + random.nextInt(withAddress ? 3 : 1))
                    + ",\"seller\":\"" + sellerId + "\"}");
        }
        return withAddress
                ? "{\"items\":" + list + ",\"postalCode\":\"" + POSTAL_CODE + "\",\"country\":\"BRA\",\"sc\":\"1\"}"
                : "{\"items\":" + list + ",\"postalCode\":null,\"country\":null,\"isCheckedIn\":false,\"sc\":\"1\"}";
    }

    /** Checks the simulation answers from the seeded projection; false when the endpoint does not exist (404). */
    private boolean probeSimulation(LoadGenerator load, String path) throws Exception {
        int i = 4_321;
        String body = "{\"items\":[{\"id\":\"" + sku(i) + "\",\"quantity\":1,\"seller\":\"" + sellerId + "\"}],\"postalCode\":null,\"country\":null}";
        for (Endpoint other : endpoints.subList(1, endpoints.size())) {
            HttpResponse<byte[]> answer = load.send(seller(other, path, body));
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("connection " + other.id() + "'s simulation answers HTTP " + answer.statusCode()
                        + " " + text(answer) + " (BENCH_CONNECTIONS is set by bench/seller-endpoints.sh)");
            }
        }
        HttpResponse<byte[]> response = load.send(seller(endpoints.get(0), path, body));
        if (notFound(response)) {
            log("simulation endpoint not available (404)");
            return false;
        }
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200 || answer.path("items").path(0).path("price").asLong() != price(i)) {
            throw new IllegalStateException("the simulation does not answer the seeded price " + price(i) + " for " + sku(i)
                    + ": HTTP " + response.statusCode() + " " + text(response));
        }
        return true;
    }

    private int probeBytes(LoadGenerator load, String path, String body) throws Exception {
        HttpResponse<byte[]> response = load.send(seller(endpoints.get(0), path, body));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered HTTP " + response.statusCode() + " " + text(response)
                    + " (is bench/routes/ on camel.main.routes-include-pattern?)");
        }
        return response.body().length;
    }

    // --- order placement ------------------------------------------------------------------------------------------

    private void orders(LoadGenerator load, boolean simulationUp) throws Exception {
        List<OrderTemplate> templates = orderTemplates(load, simulationUp);
        LongFunction<HttpRequest> order = i -> {
            OrderTemplate template = templates.get((int) Math.floorMod(i, (long) templates.size()));
            return seller(template.endpoint(), "/pvt/orders", template.body().replace("@ORDER@", "BENCH-" + runId + "-" + i));
        };
        HttpResponse<byte[]> probe = load.send(order.apply(-1));
        if (notFound(probe)) {
            rows.add(new Row("Order placement", "20 req/s", "not available (endpoint answered 404)", "p99 ≤ 300 ms", null));
            return;
        }
        if (probe.statusCode() != 200) {
            notes.add("Order placement probe answered HTTP " + probe.statusCode() + ": " + text(probe));
        }
        Predicate<HttpResponse<byte[]>> placed = response -> response.statusCode() == 200
                && new String(response.body(), StandardCharsets.UTF_8).contains("\"orderId\"");
        load.openLoop("warm-up", 20, seconds(5), i -> order.apply(1_000_000 + i), placed);
        LoadGenerator.Outcome orders = measured("order-placement", () -> load.openLoop("orders", 20, seconds(60), order, placed));
        rows.add(openRow("Order placement (2 items, stored and stock held)", 20, orders, "p99 ≤ 300 ms", orders.ms(99) <= 300));
    }

    /**
     * 100 orders of two distinct in-stock SKUs each, on the connections in turn, priced as that connection's
     * simulation answers them (item price and the freight of the "Standard" SLA for the postal code); {@code @ORDER@}
     * stands for the marketplace order id.
     */
    private List<OrderTemplate> orderTemplates(LoadGenerator load, boolean simulationUp) throws Exception {
        List<OrderTemplate> templates = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            Endpoint endpoint = endpoints.get(t % endpoints.size());
            int[] picked = {1 + t * 997 % (skus - 2), 2 + t * 991 % (skus - 3)};
            for (int k = 0; k < 2; k++) {
                picked[k] += stock(picked[k]) == 0 ? 1 : 0;
            }
            long[] prices = {price(picked[0]), price(picked[1])};
            long[] freight = new long[2];
            if (simulationUp) {
                String body = "{\"items\":[{\"id\":\"" + sku(picked[0]) + "\",\"quantity\":1,\"seller\":\"" + sellerId + "\"},"
                        + "{\"id\":\"" + sku(picked[1]) + "\",\"quantity\":1,\"seller\":\"" + sellerId + "\"}],"
                        + "\"postalCode\":\"" + POSTAL_CODE + "\",\"country\":\"BRA\"}";
                JsonNode answer = JSON.readTree(load.send(seller(endpoint, "/pvt/orderForms/simulation", body)).body());
                for (int k = 0; k < 2; k++) {
                    prices[k] = answer.path("items").path(k).path("price").asLong(prices[k]);
                    for (JsonNode sla : answer.path("logisticsInfo").path(k).path("slas")) {
                        if (SLA.equals(sla.path("id").asText())) {
                            freight[k] = sla.path("price").asLong();
                        }
                    }
                }
            }
            StringJoiner items = new StringJoiner(",", "[", "]");
            StringJoiner logistics = new StringJoiner(",", "[", "]");
            for (int k = 0; k < 2; k++) {
                items.add(String.format(Locale.ROOT, "{\"id\":\"%s\",\"quantity\":1,\"seller\":\"%s\",\"price\":%d,"
                        + "\"commission\":0,\"freightCommission\":0,\"priceTags\":[],\"measurementUnit\":\"un\","
                        + "\"unitMultiplier\":1,\"isGift\":false}", sku(picked[k]), sellerId, prices[k]));
                logistics.add(String.format(Locale.ROOT, "{\"itemIndex\":%d,\"selectedSla\":\"%s\",\"price\":%d,"
                        + "\"lockTTL\":\"1d\",\"shippingEstimate\":\"5bd\"}", k, SLA, freight[k]));
            }
            templates.add(new OrderTemplate(endpoint, String.format(Locale.ROOT, "[{\"marketplaceOrderId\":\"@ORDER@\","
                    + "\"marketplaceServicesEndpoint\":\"https://benchmkp.vtexcommercestable.com.br/api/oms?an=benchmkp\","
                    + "\"marketplacePaymentValue\":%d,\"items\":%s,"
                    + "\"clientProfileData\":{\"email\":\"bench@ct.vtex.com.br\",\"firstName\":\"Ana\",\"lastName\":\"Silva\","
                    + "\"documentType\":\"cpf\",\"document\":\"12345678909\",\"phone\":\"+5521999990000\",\"isCorporate\":false},"
                    + "\"shippingData\":{\"address\":{\"addressType\":\"residential\",\"receiverName\":\"Ana Silva\","
                    + "\"postalCode\":\"%s\",\"city\":\"Rio de Janeiro\",\"state\":\"RJ\",\"country\":\"BRA\","
                    + "\"street\":\"Praia de Botafogo\",\"number\":\"300\",\"neighborhood\":\"Botafogo\"},"
                    + "\"logisticsInfo\":%s},\"marketingData\":null,\"openTextField\":null,\"paymentData\":null}]",
                    prices[0] + prices[1] + freight[0] + freight[1], items, POSTAL_CODE, logistics)));
        }
        return templates;
    }

    // --- requests and helpers -------------------------------------------------------------------------------------

    /** A POST to {@code path} under the connection's seller endpoints, with its credentials. */
    private HttpRequest seller(Endpoint endpoint, String path, String body) {
        return HttpRequest.newBuilder(URI.create(url + endpoint.base() + path)).timeout(TIMEOUT)
                .header("X-VTEX-API-AppKey", endpoint.appKey()).header("X-VTEX-API-AppToken", endpoint.appToken())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** A 404 of the framework (no such endpoint), not a refusal in VTEX's error shape from an existing one. */
    private static boolean notFound(HttpResponse<byte[]> response) {
        return response.statusCode() == 404 && !text(response).contains("\"code\"");
    }

    /**
     * The same requests over and over: request i is the (i mod n)-th of the bodies, built once, the k-th of them sent
     * to connection k mod (number of connections).
     */
    private LongFunction<HttpRequest> cycle(String path, List<String> bodies) {
        List<HttpRequest> requests = new ArrayList<>(bodies.size());
        for (int k = 0; k < bodies.size(); k++) {
            requests.add(seller(endpoints.get(k % endpoints.size()), path, bodies.get(k)));
        }
        return i -> requests.get((int) Math.floorMod(i, (long) requests.size()));
    }

    private static List<String> pool(int size, Supplier<String> body) {
        List<String> pool = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            pool.add(body.get());
        }
        return pool;
    }

    private Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * scale * 1000));
    }

    private static String text(HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        return body.length() > 500 ? body.substring(0, 500) + "…" : body;
    }

    /** A load phase to run and measure. */
    private interface Phase {
        LoadGenerator.Outcome run() throws Exception;
    }

    /**
     * Runs a phase and notes, next to its latencies, where the time went: CPU cores the engine and this generator
     * used meanwhile, and the mean time the exchange spent inside the Camel route {@code routeId} (server side, from
     * the engine's Prometheus metrics; the rest of the latency is HTTP, queueing and the generator).
     */
    private LoadGenerator.Outcome measured(String routeId, Phase phase) throws Exception {
        double[] route = routeTimer(routeId);
        double engineCpu = engineCpuSeconds();
        double ownCpu = ownCpuSeconds();
        Instant start = Instant.now();
        LoadGenerator.Outcome outcome = phase.run();
        double[] routeAfter = routeTimer(routeId);
        String where = String.format(Locale.ROOT, "CPU cores used: engine %.2f, load generator %.2f (of %d); %s",
                (engineCpuSeconds() - engineCpu) / outcome.seconds(), (ownCpuSeconds() - ownCpu) / outcome.seconds(),
                Runtime.getRuntime().availableProcessors(), gcPauses(start, Instant.now()));
        if (routeAfter[1] > route[1]) {
            where += String.format(Locale.ROOT, "; mean time inside route %s %.2f ms", routeId,
                    1000 * (routeAfter[0] - route[0]) / (routeAfter[1] - route[1]));
        }
        notes.add(outcome.name() + ": " + where + ".");
        return logged(outcome, where);
    }

    private LoadGenerator.Outcome logged(LoadGenerator.Outcome outcome, String detail) {
        log(String.format(Locale.ROOT, "%s: %d requests, %d errors, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms, %.0f req/s; %s",
                outcome.name(), outcome.requests(), outcome.errors(), outcome.ms(50), outcome.ms(99), outcome.ms(99.9),
                outcome.maxMs(), outcome.throughput(), detail));
        if (outcome.errors() > 0) {
            notes.add(outcome.name() + ": " + outcome.errors() + " errors; statuses " + outcome.statuses()
                    + "; e.g. " + String.join(" | ", outcome.errorSamples()));
        }
        return outcome;
    }

    /** Sum (seconds) and count of the engine's route timer {@code camel_route_policy_seconds} for one route. */
    private double[] routeTimer(String routeId) {
        double[] timer = new double[2];
        try {
            HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : metrics.body().split("\n")) {
                if (line.contains("routeId=\"" + routeId + "\"")) {
                    if (line.startsWith("camel_route_policy_seconds_sum{")) {
                        timer[0] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    } else if (line.startsWith("camel_route_policy_seconds_count{")) {
                        timer[1] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
        } catch (Exception e) {
            // no metrics: the note leaves the route time out
        }
        return timer;
    }

    /** CPU seconds the engine process used so far, from /proc (clock ticks of 1/100 s); 0 when unknown. */
    private double engineCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + enginePid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** {@code latencyOk} null: a reference without a target. */
    private Row openRow(String phase, int rate, LoadGenerator.Outcome o, String target, Boolean latencyOk) {
        String figures = String.format(Locale.ROOT, "%,d requests (sent at %.0f/s), %d errors; p50 %.1f, p99 %.1f, "
                        + "p99.9 %.1f, max %.1f ms", o.requests(), o.sentRate(), o.errors(), o.ms(50), o.ms(99),
                o.ms(99.9), o.maxMs());
        return new Row(phase, rate + " req/s open loop, " + Math.round(o.sendSeconds()) + " s", figures, target,
                latencyOk == null ? null : latencyOk && o.errors() == 0);
    }

    private Row closedRow(String phase, LoadGenerator.Outcome o, String target, Boolean pass) {
        String figures = String.format(Locale.ROOT, "**%.0f req/s**, %,d requests, %d errors; p50 %.1f, p99 %.1f ms",
                o.throughput(), o.ok() + o.errors(), o.errors(), o.ms(50), o.ms(99));
        return new Row(phase, workers + " workers closed loop, " + Math.round(o.seconds()) + " s", figures, target, pass);
    }

    private void report() throws IOException {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        StringBuilder out = new StringBuilder();
        out.append("\n## ").append(now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append("\n\n");
        out.append("- Command: `").append(command).append("`").append(scale == 1 ? "" : " (durations × " + scale + ")").append('\n');
        out.append("- Machine: ").append(machine()).append('\n');
        out.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(" (engine and load generator)").append('\n');
        if (!engine.isBlank()) {
            out.append("- Engine: ").append(engine).append('\n');
        }
        out.append("- The load generator runs on the same cores as the engine.\n\n");
        out.append("| Phase | Load | Figures | Target | Result |\n|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.phase()).append(" | ").append(row.load()).append(" | ").append(row.figures())
                    .append(" | ").append(row.target()).append(" | ")
                    .append(row.pass() == null ? "—" : row.pass() ? "pass" : "**FAIL**").append(" |\n");
        }
        out.append('\n');
        notes.forEach(note -> out.append("- ").append(note).append('\n'));
        System.out.println(out);
        if (Boolean.parseBoolean(System.getProperty("bench.record", "true"))) {
            if (!Files.exists(results)) {
                Files.writeString(results, "# Seller endpoint benchmark results\n", StandardCharsets.UTF_8);
            }
            Files.writeString(results, out, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            log("appended to " + results);
        }
    }

    private static String machine() {
        String model = "unknown CPU";
        long memKb = 0;
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep what the JVM knows
        }
        return String.format(Locale.ROOT, "%d × %s, %.0f GiB RAM, %s %s", Runtime.getRuntime().availableProcessors(),
                model, memKb / 1024.0 / 1024.0, System.getProperty("os.name"), System.getProperty("os.version"));
    }

    /** The engine's garbage-collection pauses between two instants, from its -Xlog:gc:file=…:time log (bench.gc-log). */
    private static String gcPauses(Instant from, Instant to) {
        String file = System.getProperty("bench.gc-log");
        try {
            double[] pauses = Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> line.contains(" Pause ") && line.endsWith("ms"))
                    .filter(line -> {
                        Instant at = GC_TIME.parse(line.substring(1, line.indexOf(']')), Instant::from);
                        return !at.isBefore(from) && at.isBefore(to);
                    })
                    .map(line -> line.replaceAll(".*?([0-9.]+)ms$", "$1")).mapToDouble(Double::parseDouble).toArray();
            return String.format(Locale.ROOT, "engine GC: %d pauses, %.0f ms in all, longest %.1f ms", pauses.length,
                    Arrays.stream(pauses).sum(), Arrays.stream(pauses).max().orElse(0));
        } catch (IOException | RuntimeException e) {
            return "engine GC: unknown (" + e + ")";
        }
    }

    private static String loadAverage() {
        try {
            String[] average = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return average[0] + ", " + average[1] + ", " + average[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void log(String message) {
        System.out.println("[bench " + java.time.LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + message);
    }
}
