package dev.vtexbridge.vtex;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the post-order calls go (MSE join, marketplace order id in the path) and with which method (§7 Q6). */
class PostOrderCallsTest {

    private static final String OMS = "https://mymkp.vtexcommercestable.com.br/api/oms?an=mymkp";

    @Test
    void thePathGoesBeforeTheServicesEndpointsQueryString() {
        MarketplaceServices services = new MarketplaceServices(Map.of());

        assertThat(services.url(OMS, PostOrderCall.INVOICE, "1138342255777-01", null))
                .isEqualTo("https://mymkp.vtexcommercestable.com.br/api/oms/pvt/orders/1138342255777-01/invoice?an=mymkp");
        assertThat(services.url(OMS, PostOrderCall.TRACKING, "1138342255777-01", "NF 1/2"))
                .isEqualTo("https://mymkp.vtexcommercestable.com.br/api/oms/pvt/orders/1138342255777-01/invoice/NF%201%2F2?an=mymkp");
        assertThat(services.url("http://mkp.example/services/", PostOrderCall.TRACKING_STATUS, "9-01", "NF-1"))
                .isEqualTo("http://mkp.example/services/pvt/orders/9-01/invoice/NF-1/tracking");
        assertThat(services.url("http://mkp.example/x?a=1&b=2#f", PostOrderCall.CANCEL, "9-01", null))
                .isEqualTo("http://mkp.example/x/pvt/orders/9-01/cancel?a=1&b=2#f");
    }

    @Test
    void autoUsesTheOmsMethodsOnAVtexOmsAndPostElsewhere() {
        MarketplaceServices auto = new MarketplaceServices(Map.of("tracking", "auto"));

        assertThat(auto.method(PostOrderCall.INVOICE, OMS)).isEqualTo("POST");
        assertThat(auto.method(PostOrderCall.TRACKING, OMS)).isEqualTo("PATCH");
        assertThat(auto.method(PostOrderCall.TRACKING_STATUS, OMS)).isEqualTo("PUT");
        assertThat(auto.method(PostOrderCall.CANCEL, OMS)).isEqualTo("POST");
        assertThat(auto.method(PostOrderCall.TRACKING, "https://connector.example/mse")).isEqualTo("POST");
        assertThat(auto.method(PostOrderCall.TRACKING_STATUS, "https://connector.example/mse")).isEqualTo("POST");
    }

    @Test
    void aConfiguredMethodWins() {
        MarketplaceServices configured = new MarketplaceServices(Map.of("tracking", "post", "tracking-status", "PUT"));

        assertThat(configured.method(PostOrderCall.TRACKING, OMS)).isEqualTo("POST");
        assertThat(configured.method(PostOrderCall.TRACKING_STATUS, "https://connector.example/mse")).isEqualTo("PUT");
    }
}
