package dev.vtexbridge.connections;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A marketplace connection's order settings: the events sink, the order source, the public URL. */
class MarketplaceOrderSettingsTest {

    private static final ConnectionProperties SINGLE_ACCOUNT = new ConnectionProperties("seller", true,
            new VtexAccount("mainmarket", "vtexcommercestable", "vtexappkey-main", "MAIN-VTEX-TOKEN", "bridgeseller", "1",
                    "https://mainmarket.vtexcommercestable.com.br", "https://api.vtex.com/mainmarket"),
            new EndpointCredentials("seller-key", "SELLER-ENDPOINT-TOKEN"), Map.of());

    private static Map<String, String> shop(String id, String affiliate) {
        String p = "bridge.connections." + id + ".";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(p + "role", "marketplace");
        properties.put(p + "vtex.account", "sellerstore");
        properties.put(p + "vtex.app-key", "vtexappkey-sellerstore");
        properties.put(p + "vtex.app-token", "SELLERSTORE-VTEX-TOKEN");
        properties.put(p + "vtex.affiliate-id", affiliate);
        properties.put(p + "public-url", "https://bridge.example");
        properties.put(p + "endpoint.token", "SHOP-TOKEN");
        properties.put(p + "offers.sink", "jms");
        properties.put(p + "offers.jms.queue", "offers");
        return properties;
    }

    /** The registry of an engine with bridge.kafka.brokers set. */
    private static Connections registry(Map<String, String> properties) {
        return registry(properties, true);
    }

    private static Connections registry(Map<String, String> properties, boolean kafka) {
        return Connections.of(ConnectionProperties.bind(new Binder(new MapConfigurationPropertySource(properties))),
                SINGLE_ACCOUNT, false, kafka);
    }

    private static List<String> problems(Map<String, String> properties) {
        return problems(properties, true);
    }

    private static List<String> problems(Map<String, String> properties, boolean kafka) {
        try {
            registry(properties, kafka);
            return List.of();
        } catch (InvalidConnectionsException refused) {
            return refused.problems();
        }
    }

    @Test
    void eventsAndOrdersAreOptionalAndDefaultToWebhookWithoutPayment() {
        Connection shop = registry(shop("shop", "MKP")).require("shop");
        assertThat(shop.events()).isNull();
        assertThat(shop.ordersOrDefault().sourceName()).isEqualTo("webhook");
        assertThat(shop.ordersOrDefault().withPayment()).isFalse();
    }

    @Test
    void aRestEventsSinkPostsByDefaultAndItsCredentialHeadersAreSecrets() {
        Map<String, String> properties = shop("shop", "MKP");
        properties.put("bridge.connections.shop.events.sink", "rest");
        properties.put("bridge.connections.shop.events.rest.url", "https://marketplace.example/events");
        properties.put("bridge.connections.shop.events.rest.headers.Authorization", "Bearer EVENTS-KEY");
        properties.put("bridge.connections.shop.orders.source", "kafka");
        properties.put("bridge.connections.shop.orders.kafka.topic", "shop.orders");
        properties.put("bridge.connections.shop.orders.payment", "true");
        Connection shop = registry(properties).require("shop");
        assertThat(shop.events().restMethod()).isEqualTo("POST");
        assertThat(shop.ordersOrDefault().sourceName()).isEqualTo("kafka");
        assertThat(shop.ordersOrDefault().withPayment()).isTrue();
        assertThat(shop.toString()).doesNotContain("EVENTS-KEY");
        assertThat(ConnectionProperties.bind(new Binder(new MapConfigurationPropertySource(properties))).get("shop")
                .secrets()).contains("Bearer EVENTS-KEY");
    }

    @Test
    void aBadEventsSinkOrOrderSourceRefusesStartUpNamingTheProperty() {
        Map<String, String> properties = shop("shop", "MKP");
        properties.put("bridge.connections.shop.events.sink", "rest");
        properties.put("bridge.connections.shop.orders.source", "jms");
        assertThat(problems(properties)).containsExactlyInAnyOrder(
                "bridge.connections.shop.events.rest.url is required: the marketplace endpoint events are sent to",
                "bridge.connections.shop.orders.jms.queue is required: the queue the marketplace's orders arrive on");

        properties.put("bridge.connections.shop.events.sink", "ftp");
        properties.put("bridge.connections.shop.orders.source", "ftp");
        assertThat(problems(properties)).containsExactlyInAnyOrder(
                "bridge.connections.shop.events.sink: unknown sink 'ftp' (rest, kafka, jms)",
                "bridge.connections.shop.orders.source: unknown source 'ftp' (webhook, kafka, jms, rest-poll)");
    }

    @Test
    void aKafkaOrderSourceNeedsItsTopicAndTheEnginesBrokers() {
        Map<String, String> properties = shop("shop", "MKP");
        properties.put("bridge.connections.shop.orders.source", "kafka");
        assertThat(problems(properties, false)).containsExactlyInAnyOrder(
                "bridge.connections.shop.orders.kafka.topic is required: the topic the marketplace's orders arrive on",
                "bridge.connections.shop.orders.source: kafka needs bridge.kafka.brokers (env BRIDGE_KAFKA_BROKERS), "
                        + "the brokers the topic is read from");
        properties.put("bridge.connections.shop.orders.kafka.topic", "shop.orders");
        assertThat(problems(properties, true)).isEmpty();
        properties.put("bridge.connections.shop.enabled", "false");
        assertThat(problems(properties, false)).as("a disabled connection reads nothing").isEmpty();
    }

    @Test
    void aRestPollOrderSourceBindsItsFeedWithDefaultsAndNeedsItsUrl() {
        Map<String, String> properties = shop("shop", "MKP");
        properties.put("bridge.connections.shop.orders.source", "rest-poll");
        assertThat(problems(properties)).containsExactly(
                "bridge.connections.shop.orders.rest-poll.url is required: the marketplace endpoint its orders are read from");

        properties.put("bridge.connections.shop.orders.rest-poll.url", "ftp://marketplace.example/orders");
        properties.put("bridge.connections.shop.orders.rest-poll.interval", "10ms");
        properties.put("bridge.connections.shop.orders.rest-poll.orders-pointer", "orders");
        properties.put("bridge.connections.shop.orders.rest-poll.cursor-param", "next page");
        assertThat(problems(properties)).containsExactlyInAnyOrder(
                "bridge.connections.shop.orders.rest-poll.url: an http:// or https:// URL without fragment",
                "bridge.connections.shop.orders.rest-poll.interval: at least 100ms (e.g. 30s)",
                "bridge.connections.shop.orders.rest-poll.cursor-param: a query parameter name (letters, digits, . _ ~ -)",
                "bridge.connections.shop.orders.rest-poll.orders-pointer: 'orders' is not a JSON pointer (e.g. /orders, "
                        + "/page/next)");

        Map<String, String> minimal = shop("shop", "MKP");
        minimal.put("bridge.connections.shop.orders.source", "REST-POLL");
        minimal.put("bridge.connections.shop.orders.rest-poll.url", "https://marketplace.example/orders?status=new");
        minimal.put("bridge.connections.shop.orders.rest-poll.headers.Authorization", "Bearer FEED-KEY");
        MarketplaceOrders.RestPoll feed = registry(minimal).require("shop").ordersOrDefault().restPoll();
        assertThat(feed.intervalOrDefault()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(feed.cursorParamOrDefault()).isEqualTo("cursor");
        assertThat(feed.ordersPointerOrNull()).isNull();
        assertThat(feed.cursorPointerOrDefault()).isEqualTo("/cursor");
        assertThat(feed.headers()).containsEntry("Authorization", "Bearer FEED-KEY");
        assertThat(registry(minimal).require("shop").toString()).doesNotContain("FEED-KEY");
        assertThat(feed.toString()).doesNotContain("FEED-KEY");
        assertThat(ConnectionProperties.bind(new Binder(new MapConfigurationPropertySource(minimal))).get("shop").secrets())
                .contains("Bearer FEED-KEY");
    }

    @Test
    void ordersArePlacedAsFulfillmentOrdersUnlessTheConnectionChoosesTheOrderIntegration() {
        Connection classic = registry(shop("shop", "MKP")).require("shop");
        assertThat(classic.ordersOrDefault().placementName()).isEqualTo("fulfillment");
        assertThat(classic.ordersOrDefault().usesOrderIntegration()).isFalse();
        assertThat(classic.ordersOrDefault().resultTimeoutOrDefault()).isEqualTo(java.time.Duration.ofMinutes(10));

        Map<String, String> properties = shop("shop", "MKP");
        properties.put("bridge.connections.shop.orders.placement", "Order-Integration");
        properties.put("bridge.connections.shop.orders.result-timeout", "90s");
        Connection integration = registry(properties).require("shop");
        assertThat(integration.ordersOrDefault().usesOrderIntegration()).isTrue();
        assertThat(integration.ordersOrDefault().sourceName()).isEqualTo("webhook");
        assertThat(integration.ordersOrDefault().resultTimeoutOrDefault()).isEqualTo(java.time.Duration.ofSeconds(90));
    }

    @Test
    void anUnknownPlacementOrANonPositiveResultTimeoutRefusesStartUp() {
        Map<String, String> properties = shop("shop", "MKP");
        properties.put("bridge.connections.shop.orders.placement", "channel-order");
        properties.put("bridge.connections.shop.orders.result-timeout", "0s");
        assertThat(problems(properties)).containsExactlyInAnyOrder(
                "bridge.connections.shop.orders.placement: unknown placement 'channel-order' (fulfillment, order-integration)",
                "bridge.connections.shop.orders.result-timeout: a positive duration (e.g. 10m)");
    }

    @Test
    void thePublicUrlIsRequiredForTheServicesEndpoint() {
        Map<String, String> properties = shop("shop", "MKP");
        properties.remove("bridge.connections.shop.public-url");
        assertThat(problems(properties)).singleElement().asString()
                .startsWith("bridge.connections.shop.public-url is required");
        properties.put("bridge.connections.shop.public-url", "bridge.example");
        assertThat(problems(properties)).singleElement().asString()
                .startsWith("bridge.connections.shop.public-url: an http:// or https:// URL");
    }

    @Test
    void twoMarketplaceConnectionsCannotShareAnAffiliateId() {
        Map<String, String> properties = shop("shop", "MKP");
        properties.putAll(shop("shop2", "MKP"));
        assertThat(problems(properties)).singleElement().asString()
                .startsWith("bridge.connections.shop2.vtex.affiliate-id: 'MKP' is already connection shop's");
        properties.put("bridge.connections.shop2.vtex.affiliate-id", "MKT");
        assertThat(problems(properties)).isEmpty();
    }
}
