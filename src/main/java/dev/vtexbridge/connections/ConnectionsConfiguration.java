package dev.vtexbridge.connections;

import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.vtex.VtexProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The {@link Connections} registry: {@code bridge.connections.*} over today's single-account settings. */
@Configuration(proxyBeanMethods = false)
class ConnectionsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ConnectionsConfiguration.class);

    @Bean
    Connections connections(Environment env, VtexProperties vtex, SellerCredentials sellerCredentials,
                            @Value("${bridge.sync.sales-channel}") String salesChannel,
                            @Value("${bridge.sandbox.enabled:false}") boolean sandbox,
                            @Value("${bridge.kafka.brokers:}") String kafkaBrokers) {
        ConnectionProperties singleAccount = new ConnectionProperties(Connection.Role.SELLER.configName(), true,
                new VtexAccount(vtex.account(), vtex.environment(), vtex.appKey(), vtex.appToken(), vtex.sellerId(),
                        salesChannel, vtex.apiUrl(), vtex.suggestionsUrl()),
                new EndpointCredentials(sellerCredentials.appKey(), sellerCredentials.appToken()),
                vtex.rateLimits());
        Connections connections = Connections.of(ConnectionProperties.bind(Binder.get(env)), singleAccount, sandbox,
                ConnectionProperties.isSet(kafkaBrokers));
        connections.all().forEach(connection -> log.info("Connection {}: {}, {}, VTEX account {}", connection.id(),
                connection.role().configName(), connection.enabled() ? "enabled" : "disabled", connection.vtex().account()));
        return connections;
    }
}
