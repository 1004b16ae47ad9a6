package dev.vtexbridge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.StringUtils;

/**
 * Derives the defaults that depend on other settings, so that an empty configuration still runs every flow:
 * <ul>
 *   <li>the ERP database is an embedded demo ERP (created and seeded, with its back office invoicing and shipping
 *       orders) until BRIDGE_ERP_DATASOURCE_URL is set;</li>
 *   <li>the seller flows poll the ERP's change table; on a PostgreSQL ERP each poll claims its rows, so several
 *       instances share the changes instead of each taking all of them;</li>
 *   <li>the data folder as an absolute path ({@code bridge.data-path});</li>
 *   <li>the VTEX sandbox is on while no VTEX account is configured, and then the VTEX base URLs point at it and its
 *       shopper places orders; while no connection is configured either, it adds a second simulated marketplace,
 *       connection {@code outlet} (its rules in {@code mappings/connections/outlet/}), and a marketplace-role
 *       connection {@code shop} on the sandbox's simulated VTEX store and external marketplace;</li>
 *   <li>durable channels are Artemis queues, or Kafka topics once {@code bridge.kafka.brokers} is set (the notification
 *       channel then read in batches);</li>
 *   <li>routes and mappings come from disk, or from the copy bundled in the jar when the folder does not exist.</li>
 * </ul>
 * Anything set explicitly (environment, command line, application.yaml) wins over these derived values.
 */
public class BridgeEnvironmentDefaults implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "bridgeDerivedDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> derived = new HashMap<>();

        String account = env.getProperty("bridge.vtex.account", "");
        boolean sandbox = env.getProperty("bridge.sandbox.enabled", Boolean.class, !StringUtils.hasText(account));
        derived.put("bridge.sandbox.enabled", sandbox);
        derived.put("bridge.sandbox.shopper.enabled", sandbox);
        if (sandbox) {
            if (!StringUtils.hasText(account)) {
                account = "sandboxmarketplace";
                derived.put("bridge.vtex.account", account);
            }
            String sandboxBase = "http://localhost:" + env.getProperty("server.port", "8080") + "/sandbox/vtex";
            derived.put("bridge.vtex.api-url", sandboxBase);
            derived.put("bridge.vtex.suggestions-url", sandboxBase + "/" + account);
            if (!configuresConnections(env)) {
                sandboxOutlet(derived, sandboxBase);
                sandboxShop(derived, "http://localhost:" + env.getProperty("server.port", "8080"));
            }
        } else {
            String environment = env.getProperty("bridge.vtex.environment", "vtexcommercestable");
            derived.put("bridge.vtex.api-url", "https://" + account + "." + environment + ".com.br");
            derived.put("bridge.vtex.suggestions-url", "https://api.vtex.com/" + account);
        }

        boolean demoErp = !StringUtils.hasText(env.getProperty("bridge.erp.datasource.url"));
        derived.put("bridge.erp.datasource.url",
                "jdbc:h2:file:${bridge.data-path}/demo-erp;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000");
        derived.put("bridge.erp.migrate", demoErp);
        derived.put("bridge.erp.demo.enabled", demoErp);
        erpChangeTriggers(env, derived);

        boolean kafka = StringUtils.hasText(env.getProperty("bridge.kafka.brokers"));
        derived.put("bridge.channel.kind", kafka ? "kafka" : "jms");
        derived.put("bridge.channel.prefix", kafka ? "kafka:bridge." : "jms:queue:bridge.");
        // A Kafka channel is read in batches: partial batches complete after 100 ms without waiting for a full poll timeout.
        // Offsets are committed by hand once a batch completed (KafkaOffsets): each value told is recorded right after
        // its 202; never for a failed batch.
        derived.put("bridge.sync.notifications-consumer", "${bridge.channels.offer-notifications}" + (kafka
                ? "?batching=true&maxPollRecords=500&batchingIntervalMs=100&pollTimeoutMs=100&autoCommitEnable=false&allowManualCommit=true&breakOnFirstError=true"
                : ""));
        // The marketplace offers flow works several SKUs at once; one SKU's messages stay in order (a Kafka partition,
        // an Artemis message group: ChannelConfiguration).
        derived.put("bridge.sync.marketplace-offers-consumer", "${bridge.channels.marketplace-offers}" + (kafka
                ? "?consumersCount=${bridge.sync.marketplace-offers-consumers}"
                : "?concurrentConsumers=${bridge.sync.marketplace-offers-consumers}"));
        // The stock flow likewise: each change is a transaction of its own, so one consumer caps an instance's rate.
        derived.put("bridge.stock.consumer", "${bridge.channels.stock-changes}" + (kafka
                ? "?consumersCount=${bridge.stock.consumers}"
                : "?concurrentConsumers=${bridge.stock.consumers}"));

        derived.put("bridge.routes-location", location(env.getProperty("bridge.routes-dir", "./routes"), "routes"));
        derived.put("bridge.mappings-location", location(env.getProperty("bridge.mappings-dir", "./mappings"), "mappings"));

        // Explicit settings keep precedence: the derived source holds only keys nothing sets to a value. It goes first
        // because application.yaml names some of them with an empty default (${BRIDGE_SANDBOX_ENABLED:}), which would
        // otherwise hide it.
        env.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, withoutExplicit(env, derived)));
        env.getPropertySources().addLast(new DataPathSource(env));
    }

    /**
     * The seller flows' default triggers, polls of the ERP's change table (ErpChangeTriggers): on a PostgreSQL ERP each
     * poll claims its rows for {@code bridge.erp.claim-lease}, so several instances never take the same change; on any
     * other ERP database (the embedded H2 demo ERP: a single instance) the plain poll. {@code bridge.erp.claim-changes}
     * set explicitly decides instead of the URL.
     */
    private static void erpChangeTriggers(ConfigurableEnvironment env, Map<String, Object> derived) {
        String claimSetting = env.getProperty("bridge.erp.claim-changes", "");
        boolean claim = StringUtils.hasText(claimSetting)
                ? Boolean.parseBoolean(claimSetting.trim())
                : ErpChangeTriggers.isPostgres(env.getProperty("bridge.erp.datasource.url", ""));
        derived.put("bridge.erp.claim-changes", claim);
        Duration lease = claim ? DurationStyle.detectAndParse(env.getProperty("bridge.erp.claim-lease", "60s").trim()) : null;
        for (String entity : ErpChangeTriggers.ENTITIES) {
            derived.put("bridge." + entity + ".trigger",
                    claim ? ErpChangeTriggers.claim(entity, lease) : ErpChangeTriggers.poll(entity));
        }
    }

    /**
     * {@code bridge.data-path}: the data folder as an absolute path (H2 refuses implicitly relative ones), worked out
     * when it is read, so a data folder set after start-up processing (test property sources) still counts.
     */
    static final class DataPathSource extends PropertySource<Object> {

        // Not the source object: Spring Boot walks into a property source whose source is an environment, and this
        // environment contains this source again (endless loop at the first property lookup).
        private final ConfigurableEnvironment env;

        DataPathSource(ConfigurableEnvironment env) {
            super("bridgeDataPath", new Object());
            this.env = env;
        }

        @Override
        public Object getProperty(String name) {
            return "bridge.data-path".equals(name)
                    ? Path.of(env.getProperty("bridge.data-dir", "./data")).toAbsolutePath().normalize().toString()
                    : null;
        }
    }

    /**
     * The sandbox's second marketplace: seller connection {@code outlet} on the same simulated VTEX, its own sales
     * channel and endpoint credentials (sandbox values, not secrets: the sandbox takes no real orders).
     */
    private static void sandboxOutlet(Map<String, Object> derived, String sandboxBase) {
        String outlet = "bridge.connections.outlet.";
        derived.put(outlet + "role", "seller");
        derived.put(outlet + "vtex.account", "sandboxoutlet");
        derived.put(outlet + "vtex.sales-channel", "2");
        derived.put(outlet + "vtex.api-url", sandboxBase);
        derived.put(outlet + "vtex.suggestions-url", sandboxBase + "/sandboxoutlet");
        derived.put(outlet + "endpoint.app-key", "vtexappkey-sandboxoutlet-SANDBOX");
        derived.put(outlet + "endpoint.app-token", "SANDBOX-OUTLET-ENDPOINT-TOKEN");
    }

    /**
     * The sandbox's External Marketplace: marketplace connection {@code shop} (affiliate {@code BRG}, sales channel 1),
     * whose VTEX store is the sandbox's simulated store ({@code /sandbox/store}) and whose offers go to the sandbox's
     * simulated external marketplace ({@code /sandbox/marketplace/offers}); its mappings are
     * {@code mappings/connections/shop/}. Sandbox values, not secrets.
     */
    private static void sandboxShop(Map<String, Object> derived, String engine) {
        String shop = "bridge.connections.shop.";
        derived.put(shop + "role", "marketplace");
        derived.put(shop + "vtex.account", "sandboxstore");
        derived.put(shop + "vtex.affiliate-id", "BRG");
        derived.put(shop + "vtex.sales-channel", "1");
        derived.put(shop + "vtex.api-url", engine + "/sandbox/store");
        derived.put(shop + "public-url", engine);
        derived.put(shop + "endpoint.token", "SANDBOX-SHOP-ENDPOINT-TOKEN");
        derived.put(shop + "offers.sink", "rest");
        derived.put(shop + "offers.rest.url", engine + "/sandbox/marketplace/offers");
        derived.put(shop + "offers.rest.method", "PUT");
        // the first reconciliation (at start-up) lists the store's SKUs; then every 10 minutes
        derived.put(shop + "reconcile.interval", "10m");
    }

    /** Whether any property source names a connection (YAML, command line or BRIDGE_CONNECTIONS_* variables). */
    private static boolean configuresConnections(ConfigurableEnvironment env) {
        for (PropertySource<?> source : env.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> names) {
                for (String name : names.getPropertyNames()) {
                    if (name.startsWith("bridge.connections.") || name.startsWith("BRIDGE_CONNECTIONS_")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A folder on disk when it exists, else the copy of the project's folder packaged in the jar. */
    private static String location(String dir, String bundledName) {
        String path = dir.endsWith("/") ? dir : dir + "/";
        return Files.isDirectory(Path.of(dir)) ? "file:" + path : "classpath:bundled/" + bundledName + "/";
    }

    private static Map<String, Object> withoutExplicit(ConfigurableEnvironment env, Map<String, Object> derived) {
        Map<String, Object> result = new HashMap<>(derived);
        result.keySet().removeIf(key -> isSet(env, key));
        return result;
    }

    /** Set to a value; a value naming a property that only comes later (test property sources) counts as set. */
    private static boolean isSet(ConfigurableEnvironment env, String key) {
        try {
            return StringUtils.hasText(env.getProperty(key));
        } catch (IllegalArgumentException unresolvableYet) {
            return true;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
