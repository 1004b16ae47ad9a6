package dev.vtexbridge.connections;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import dev.vtexbridge.vtex.VtexProperties.RateLimit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection registry built straight from properties: defaults, fallbacks, and every refused configuration. */
class ConnectionsTest {

    /** Today's single-account settings, as ConnectionsConfiguration reads them from bridge.vtex.* and bridge.seller.*. */
    private static final ConnectionProperties SINGLE_ACCOUNT = new ConnectionProperties("seller", true,
            new VtexAccount("mainmarket", "vtexcommercestable", "vtexappkey-main", "MAIN-VTEX-TOKEN", "bridgeseller", "1",
                    "https://mainmarket.vtexcommercestable.com.br", "https://api.vtex.com/mainmarket"),
            new EndpointCredentials("seller-key", "SELLER-ENDPOINT-TOKEN"),
            Map.of("oms", new RateLimit(100, 100), "default", new RateLimit(20, 40)));

    /** A complete seller connection "outlet", to which a test adds or changes properties. */
    private static Map<String, String> outlet() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bridge.connections.outlet.role", "seller");
        properties.put("bridge.connections.outlet.vtex.account", "outletmarket");
        properties.put("bridge.connections.outlet.vtex.app-key", "vtexappkey-outlet");
        properties.put("bridge.connections.outlet.vtex.app-token", "OUTLET-VTEX-TOKEN");
        properties.put("bridge.connections.outlet.endpoint.app-key", "outlet-key");
        properties.put("bridge.connections.outlet.endpoint.app-token", "OUTLET-ENDPOINT-TOKEN");
        return properties;
    }

    private static Connections registry(Map<String, String> properties, boolean sandbox) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        return Connections.of(ConnectionProperties.bind(binder), SINGLE_ACCOUNT, sandbox);
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
    void theDefaultConnectionIsTheSingleAccountConfigurationWhenNothingElseIsConfigured() {
        Connections connections = registry(Map.of(), false);

        assertThat(connections.all()).extracting(Connection::id).containsExactly("default");
        Connection main = connections.require("default");
        assertThat(main.role()).isEqualTo(Connection.Role.SELLER);
        assertThat(main.enabled()).isTrue();
        assertThat(main.vtex()).isEqualTo(SINGLE_ACCOUNT.vtex());
        assertThat(main.endpoint()).isEqualTo(SINGLE_ACCOUNT.endpoint());
        assertThat(main.sellerEndpointPath("/seller")).isEqualTo("/seller/pvt");
        assertThat(connections.sellers()).containsExactly(main);
        assertThatThrownBy(() -> connections.require("outlet")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("outlet");
        assertThat(connections.find("outlet")).isEmpty();
    }

    @Test
    void anExplicitDefaultConnectionOverridesSingleValuesOfTheSingleAccountConfiguration() {
        Connection main = registry(Map.of("bridge.connections.default.vtex.sales-channel", "3",
                "bridge.connections.default.rate-limits.oms.per-second", "5",
                "bridge.connections.default.rate-limits.oms.burst", "10"), false).require("default");

        assertThat(main.vtex().salesChannel()).isEqualTo("3");
        assertThat(main.vtex().account()).isEqualTo("mainmarket");
        assertThat(main.vtex().appToken()).isEqualTo("MAIN-VTEX-TOKEN");
        assertThat(main.endpoint()).isEqualTo(SINGLE_ACCOUNT.endpoint());
        assertThat(main.rateLimit("oms")).isEqualTo(new RateLimit(5, 10));
    }

    @Test
    void anotherConnectionTakesTheEngineWideDefaultsButNeverAnAccountOrCredentialOfTheDefaultOne() {
        Map<String, String> properties = outlet();
        properties.put("bridge.connections.outlet.rate-limits.oms.per-second", "7");
        properties.put("bridge.connections.outlet.rate-limits.oms.burst", "14");
        Connections connections = registry(properties, false);

        Connection outlet = connections.require("outlet");
        assertThat(outlet.vtex().environment()).isEqualTo("vtexcommercestable");
        assertThat(outlet.vtex().sellerId()).isEqualTo("bridgeseller");
        assertThat(outlet.vtex().salesChannel()).isEqualTo("1");
        assertThat(outlet.vtex().apiUrl()).isEqualTo("https://outletmarket.vtexcommercestable.com.br");
        assertThat(outlet.vtex().suggestionsUrl()).isEqualTo("https://api.vtex.com/outletmarket");
        assertThat(outlet.rateLimit("oms")).as("its own").isEqualTo(new RateLimit(7, 14));
        assertThat(outlet.rateLimit("catalog")).as("the engine-wide default family").isEqualTo(new RateLimit(20, 40));
        assertThat(outlet.endpoint()).isEqualTo(new EndpointCredentials("outlet-key", "OUTLET-ENDPOINT-TOKEN"));
        assertThat(outlet.sellerEndpointPath("/seller")).isEqualTo("/seller/outlet/pvt");
        assertThat(connections.all()).extracting(Connection::id).containsExactly("default", "outlet");
        assertThat(connections.sellers()).extracting(Connection::id).containsExactly("default", "outlet");
    }

    @Test
    void aBadIdIsRefusedNamingIt() {
        assertThat(problems(Map.of("bridge.connections.Outlet.role", "seller"), true))
                .anySatisfy(problem -> assertThat(problem).startsWith("bridge.connections.Outlet:").contains("[a-z0-9-]{1,32}"));
        String tooLong = "a".repeat(33);
        assertThat(problems(Map.of("bridge.connections." + tooLong + ".role", "seller"), true))
                .anySatisfy(problem -> assertThat(problem).startsWith("bridge.connections." + tooLong + ":"));
        assertThat(problems(Map.of("bridge.connections.pvt.role", "seller"), true))
                .anySatisfy(problem -> assertThat(problem).startsWith("bridge.connections.pvt:").contains("cannot be"));
    }

    @Test
    void aMissingOrUnknownRoleIsRefused() {
        Map<String, String> noRole = outlet();
        noRole.remove("bridge.connections.outlet.role");
        assertThat(problems(noRole, false)).containsExactly("bridge.connections.outlet.role is required: seller or marketplace");

        Map<String, String> unknown = outlet();
        unknown.put("bridge.connections.outlet.role", "wholesaler");
        assertThat(problems(unknown, false)).singleElement().asString()
                .startsWith("bridge.connections.outlet.role: unknown role 'wholesaler'");
    }

    @Test
    void anEnabledSellerConnectionNeedsTheCredentialsItsMarketplacePresents() {
        Map<String, String> properties = outlet();
        properties.remove("bridge.connections.outlet.endpoint.app-key");
        properties.remove("bridge.connections.outlet.endpoint.app-token");

        assertThat(problems(properties, true)).satisfiesExactly(
                key -> assertThat(key).startsWith("bridge.connections.outlet.endpoint.app-key is required"),
                token -> assertThat(token).startsWith("bridge.connections.outlet.endpoint.app-token is required"));
    }

    @Test
    void withTheSandboxOffAConnectionNeedsItsVtexAccountAndCredentials() {
        Map<String, String> properties = outlet();
        properties.remove("bridge.connections.outlet.vtex.account");
        properties.remove("bridge.connections.outlet.vtex.app-key");
        properties.put("bridge.connections.outlet.vtex.app-token", " ");

        assertThat(problems(properties, false)).satisfiesExactly(
                account -> assertThat(account).startsWith("bridge.connections.outlet.vtex.account is required")
                        .contains("bridge.sandbox.enabled=false"),
                key -> assertThat(key).startsWith("bridge.connections.outlet.vtex.app-key is required"),
                token -> assertThat(token).startsWith("bridge.connections.outlet.vtex.app-token is required"));
        assertThat(problems(properties, true)).as("the sandbox needs none of them").isEmpty();
    }

    @Test
    void theImplicitDefaultConnectionKeepsTodaysRulesButAnExplicitOneIsChecked() {
        ConnectionProperties noVtexCredentials = new ConnectionProperties("seller", true,
                new VtexAccount("mainmarket", "vtexcommercestable", null, null, "bridgeseller", "1", "https://x", "https://y"),
                SINGLE_ACCOUNT.endpoint(), Map.of());
        assertThat(Connections.of(Map.of(), noVtexCredentials, false).require("default").vtex().appToken()).isNull();

        Map<String, ConnectionProperties> explicit = ConnectionProperties.bind(new Binder(new MapConfigurationPropertySource(
                Map.of("bridge.connections.default.vtex.sales-channel", "2"))));
        assertThatThrownBy(() -> Connections.of(explicit, noVtexCredentials, false))
                .isInstanceOf(InvalidConnectionsException.class)
                .hasMessageContaining("bridge.connections.default.vtex.app-key is required");
    }

    @Test
    void aDisabledConnectionMayLackCredentialsAndServesNothing() {
        Connections connections = registry(Map.of("bridge.connections.spare.role", "seller",
                "bridge.connections.spare.enabled", "false"), false);

        assertThat(connections.require("spare").enabled()).isFalse();
        assertThat(connections.sellers()).extracting(Connection::id).containsExactly("default");
    }

    @Test
    void everyProblemOfEveryConnectionIsReportedAtOnce() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bridge.connections.a.role", "seller");
        properties.put("bridge.connections.b.role", "reseller");

        assertThatThrownBy(() -> registry(properties, true))
                .isInstanceOf(InvalidConnectionsException.class)
                .hasMessageContaining("bridge.connections.a.endpoint.app-key is required")
                .hasMessageContaining("bridge.connections.a.endpoint.app-token is required")
                .hasMessageContaining("bridge.connections.b.role: unknown role 'reseller'");
    }

    @Test
    void secretsComeFromTheEnvironmentByRelaxedBinding() {
        SystemEnvironmentPropertySource environment = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                        "BRIDGE_CONNECTIONS_OUTLET_ROLE", "seller",
                        "BRIDGE_CONNECTIONS_OUTLET_VTEX_ACCOUNT", "outletmarket",
                        "BRIDGE_CONNECTIONS_OUTLET_VTEX_APP_KEY", "vtexappkey-outlet",
                        "BRIDGE_CONNECTIONS_OUTLET_VTEX_APP_TOKEN", "OUTLET-VTEX-TOKEN",
                        "BRIDGE_CONNECTIONS_OUTLET_ENDPOINT_APP_KEY", "outlet-key",
                        "BRIDGE_CONNECTIONS_OUTLET_ENDPOINT_APP_TOKEN", "OUTLET-ENDPOINT-TOKEN"));
        Binder binder = new Binder(ConfigurationPropertySources.from(environment));

        Connection outlet = Connections.of(ConnectionProperties.bind(binder), SINGLE_ACCOUNT, false).require("outlet");

        assertThat(outlet.vtex().appToken()).isEqualTo("OUTLET-VTEX-TOKEN");
        assertThat(outlet.endpoint().appToken()).isEqualTo("OUTLET-ENDPOINT-TOKEN");
    }

    @Test
    void aRefusedConfigurationIsReportedAsTheReasonTheEngineDidNotStart() {
        InvalidConnectionsException refused = new InvalidConnectionsException(
                List.of("bridge.connections.outlet.role is required: seller or marketplace"));
        Throwable startUp = new BeanCreationException("connections", refused);

        FailureAnalysis analysis = new InvalidConnectionsFailureAnalyzer().analyze(startUp);

        assertThat(analysis.getDescription()).contains("bridge.connections.outlet.role is required");
        assertThat(analysis.getAction()).contains("BRIDGE_CONNECTIONS_");
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class,
                SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> { })))
                .as("registered in META-INF/spring.factories")
                .anyMatch(InvalidConnectionsFailureAnalyzer.class::isInstance);
    }

    /** Spring's property names ignore '-': the environment names connection outlet-br OUTLETBR. */
    @Test
    void anIdWithDashesIsWrittenWithoutThemInTheEnvironment() {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("BRIDGE_CONNECTIONS_OUTLETBR_VTEX_APPTOKEN", "OUTLET-BR-VTEX-TOKEN",
                        "BRIDGE_CONNECTIONS_OUTLETBR_ENDPOINT_APPTOKEN", "OUTLET-BR-ENDPOINT-TOKEN")));
        sources.addLast(new MapPropertySource("application.yaml", Map.of("bridge.connections.outlet-br.role", "seller",
                "bridge.connections.outlet-br.endpoint.app-key", "outlet-br-key")));

        Connections connections = Connections.of(
                ConnectionProperties.bind(new Binder(ConfigurationPropertySources.from(sources))), SINGLE_ACCOUNT, true);

        assertThat(connections.all()).as("one connection, not one per spelling").extracting(Connection::id)
                .containsExactly("default", "outlet-br");
        assertThat(connections.require("outlet-br").vtex().appToken()).isEqualTo("OUTLET-BR-VTEX-TOKEN");
        assertThat(connections.require("outlet-br").endpoint().appToken()).isEqualTo("OUTLET-BR-ENDPOINT-TOKEN");
    }

    @Test
    void noSecretShowsInToString() {
        Connections connections = registry(outlet(), false);
        String shown = connections.all().toString() + ConnectionProperties.bind(
                new Binder(new MapConfigurationPropertySource(outlet()))).toString();

        assertThat(shown).contains("outletmarket", "[set]")
                .doesNotContain("OUTLET-VTEX-TOKEN", "OUTLET-ENDPOINT-TOKEN", "vtexappkey-outlet", "outlet-key",
                        "MAIN-VTEX-TOKEN", "SELLER-ENDPOINT-TOKEN", "vtexappkey-main", "seller-key");
    }
}
