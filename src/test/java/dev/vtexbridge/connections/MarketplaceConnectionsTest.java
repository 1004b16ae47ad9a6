package dev.vtexbridge.connections;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections in the marketplace role: what they must hold to start, and what they never show. */
class MarketplaceConnectionsTest {

    private static final ConnectionProperties SINGLE_ACCOUNT = new ConnectionProperties("seller", true,
            new VtexAccount("mainmarket", "vtexcommercestable", "vtexappkey-main", "MAIN-VTEX-TOKEN", "bridgeseller", "1",
                    "https://mainmarket.vtexcommercestable.com.br", "https://api.vtex.com/mainmarket"),
            new EndpointCredentials("seller-key", "SELLER-ENDPOINT-TOKEN"), Map.of());

    /** A complete marketplace connection "shop" with a REST sink, to which a test adds or changes properties. */
    private static Map<String, String> shop() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bridge.connections.shop.role", "marketplace");
        properties.put("bridge.connections.shop.vtex.account", "sellerstore");
        properties.put("bridge.connections.shop.vtex.app-key", "vtexappkey-sellerstore");
        properties.put("bridge.connections.shop.vtex.app-token", "SELLERSTORE-VTEX-TOKEN");
        properties.put("bridge.connections.shop.vtex.affiliate-id", "MKP");
        properties.put("bridge.connections.shop.vtex.sales-channel", "2");
        properties.put("bridge.connections.shop.public-url", "https://bridge.example");
        properties.put("bridge.connections.shop.endpoint.token", "SHOP-NOTIFICATION-TOKEN");
        properties.put("bridge.connections.shop.offers.sink", "rest");
        properties.put("bridge.connections.shop.offers.rest.url", "https://marketplace.example/offers");
        properties.put("bridge.connections.shop.offers.rest.headers.Authorization", "Bearer MARKETPLACE-API-KEY");
        return properties;
    }

    private static Connections registry(Map<String, String> properties, boolean sandbox) {
        return Connections.of(ConnectionProperties.bind(new Binder(new MapConfigurationPropertySource(properties))),
                SINGLE_ACCOUNT, sandbox);
    }

    private static List<String> problems(Map<String, String> properties, boolean sandbox) {
        try {
            registry(properties, sandbox);
            return List.of();
        } catch (InvalidConnectionsException refused) {
            return refused.problems();
        }
    }

    @Test
    void aCompleteMarketplaceConnectionStartsWithItsAffiliateSinkAndToken() {
        Connections connections = registry(shop(), false);

        Connection shop = connections.require("shop");
        assertThat(shop.role()).isEqualTo(Connection.Role.MARKETPLACE);
        assertThat(shop.vtex().affiliateId()).isEqualTo("MKP");
        assertThat(shop.vtex().salesChannel()).isEqualTo("2");
        assertThat(shop.vtex().apiUrl()).isEqualTo("https://sellerstore.vtexcommercestable.com.br");
        assertThat(shop.publicUrl()).isEqualTo("https://bridge.example");
        assertThat(shop.endpoint().matchesToken("SHOP-NOTIFICATION-TOKEN")).isTrue();
        assertThat(shop.endpoint().matchesToken("other")).isFalse();
        assertThat(shop.offers().sinkName()).isEqualTo("rest");
        assertThat(shop.offers().rest().methodOrDefault()).isEqualTo("PUT");
        assertThat(shop.offers().requiresMappedCategory()).isFalse();
        assertThat(connections.marketplaces()).extracting(Connection::id).containsExactly("shop");
        assertThat(connections.sellers()).extracting(Connection::id).containsExactly("default");
        assertThat(shop.toString()).doesNotContain("SHOP-NOTIFICATION-TOKEN", "SELLERSTORE-VTEX-TOKEN",
                "vtexappkey-sellerstore", "MARKETPLACE-API-KEY");
        assertThat(ConnectionProperties.bind(new Binder(new MapConfigurationPropertySource(shop()))).get("shop").secrets())
                .contains("SHOP-NOTIFICATION-TOKEN", "SELLERSTORE-VTEX-TOKEN", "Bearer MARKETPLACE-API-KEY");
    }

    @Test
    void theAffiliateIdIsRequiredAndMustBeThreeConsonants() {
        Map<String, String> missing = shop();
        missing.remove("bridge.connections.shop.vtex.affiliate-id");
        assertThat(problems(missing, false)).singleElement().asString()
                .startsWith("bridge.connections.shop.vtex.affiliate-id is required");

        for (String bad : List.of("MKA", "MK", "MKPX", "mkp", "M1P")) {
            Map<String, String> wrong = shop();
            wrong.put("bridge.connections.shop.vtex.affiliate-id", bad);
            assertThat(problems(wrong, false)).as(bad).singleElement().asString()
                    .startsWith("bridge.connections.shop.vtex.affiliate-id: '" + bad + "' is not a VTEX affiliate id");
        }
    }

    @Test
    void theNotificationTokenIsRequired() {
        Map<String, String> noToken = shop();
        noToken.remove("bridge.connections.shop.endpoint.token");

        assertThat(problems(noToken, true)).singleElement().asString()
                .startsWith("bridge.connections.shop.endpoint.token is required");
    }

    @Test
    void theOfferSinkAndItsDestinationAreRequired() {
        Map<String, String> noSink = shop();
        noSink.remove("bridge.connections.shop.offers.sink");
        assertThat(problems(noSink, true)).singleElement().asString()
                .startsWith("bridge.connections.shop.offers.sink is required: rest, kafka, jms");

        Map<String, String> noUrl = shop();
        noUrl.remove("bridge.connections.shop.offers.rest.url");
        assertThat(problems(noUrl, true)).singleElement().asString().startsWith("bridge.connections.shop.offers.rest.url is required");

        Map<String, String> kafka = shop();
        kafka.put("bridge.connections.shop.offers.sink", "kafka");
        assertThat(problems(kafka, true)).singleElement().asString().startsWith("bridge.connections.shop.offers.kafka.topic is required");
        kafka.put("bridge.connections.shop.offers.kafka.topic", "offers");
        assertThat(problems(kafka, true)).isEmpty();

        Map<String, String> jms = shop();
        jms.put("bridge.connections.shop.offers.sink", "jms");
        assertThat(problems(jms, true)).singleElement().asString().startsWith("bridge.connections.shop.offers.jms.queue is required");

        Map<String, String> unknown = shop();
        unknown.put("bridge.connections.shop.offers.sink", "ftp");
        assertThat(problems(unknown, true)).singleElement().asString()
                .startsWith("bridge.connections.shop.offers.sink: unknown sink 'ftp'");

        Map<String, String> folder = shop();
        folder.put("bridge.connections.shop.offers.rest.template", "../offer.jslt");
        assertThat(problems(folder, true)).singleElement().asString()
                .startsWith("bridge.connections.shop.offers.rest.template:");
    }

    @Test
    void vtexCredentialsAreRequiredWhileTheSandboxIsOffButNoSellerEndpointCredentials() {
        Map<String, String> noCredentials = shop();
        noCredentials.remove("bridge.connections.shop.vtex.account");
        noCredentials.remove("bridge.connections.shop.vtex.app-key");
        noCredentials.remove("bridge.connections.shop.vtex.app-token");

        assertThat(problems(noCredentials, false)).containsExactly(
                "bridge.connections.shop.vtex.account is required: while the sandbox is off (bridge.sandbox.enabled=false)",
                "bridge.connections.shop.vtex.app-key is required: while the sandbox is off (bridge.sandbox.enabled=false)",
                "bridge.connections.shop.vtex.app-token is required: while the sandbox is off (bridge.sandbox.enabled=false)");
        assertThat(problems(noCredentials, true)).isEmpty();
    }

    @Test
    void aDisabledMarketplaceConnectionMayLackWhatItWouldNeed() {
        Map<String, String> disabled = new LinkedHashMap<>();
        disabled.put("bridge.connections.shop.role", "marketplace");
        disabled.put("bridge.connections.shop.enabled", "false");

        Connections connections = registry(disabled, false);

        assertThat(connections.require("shop").enabled()).isFalse();
        assertThat(connections.marketplaces()).isEmpty();
    }
}
