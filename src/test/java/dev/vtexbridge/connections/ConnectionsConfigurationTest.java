package dev.vtexbridge.connections;

import java.time.Duration;
import java.util.Map;

import dev.vtexbridge.errors.SecretRedactor;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.seller.SellerProperties;
import dev.vtexbridge.vtex.VtexProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry as the engine builds it from its environment: the single-account settings plus bridge.connections. */
class ConnectionsConfigurationTest {

    private final ApplicationContextRunner engine = new ApplicationContextRunner()
            .withUserConfiguration(ConnectionsConfiguration.class)
            .withBean(VtexProperties.class, () -> new VtexProperties("mainmarket", "vtexcommercestable", "bridgeseller",
                    "vtexappkey-main", "MAIN-TOKEN", "https://main", "https://main-suggestions", Duration.ofSeconds(5),
                    Duration.ofSeconds(20), Duration.ofSeconds(2), Map.of()))
            .withBean(SellerCredentials.class, () -> new SellerCredentials(new SellerProperties("/seller", "seller-key",
                    "SELLER-TOKEN", 1024, 10, 10, 10, null, "SO-", null, "1d", 10, null),
                    new SecretRedactor(new MockEnvironment())))
            .withPropertyValues("bridge.sync.sales-channel=1", "bridge.sandbox.enabled=false");

    @Test
    void theDefaultConnectionIsBuiltFromTheSingleAccountSettings() {
        engine.run(context -> {
            Connection main = context.getBean(Connections.class).require(Connection.DEFAULT);
            assertThat(main.vtex().account()).isEqualTo("mainmarket");
            assertThat(main.vtex().salesChannel()).isEqualTo("1");
            assertThat(main.endpoint()).isEqualTo(new EndpointCredentials("seller-key", "SELLER-TOKEN"));
        });
    }

    @Test
    void aBadConnectionKeepsTheEngineFromStarting() {
        engine.withPropertyValues("bridge.connections.outlet.role=seller", "bridge.connections.outlet.vtex.account=o")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(InvalidConnectionsException.class)
                        .hasMessageContaining("bridge.connections.outlet.endpoint.app-key is required")
                        .hasMessageContaining("bridge.connections.outlet.vtex.app-token is required"));
    }
}
