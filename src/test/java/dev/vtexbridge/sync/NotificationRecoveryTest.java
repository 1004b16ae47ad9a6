package dev.vtexbridge.sync;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.vtexbridge.testkit.EngineTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A notification an engine instance was coalescing when it died (nothing of it left but the projection differing
 * from what the marketplace was told) still goes out: the periodic recovery queues SKUs that changed a while ago and
 * were never told, and leaves alone those that changed a moment ago, which an instance alive is still coalescing.
 */
class NotificationRecoveryTest extends EngineTest {

    private static final String NOTIFICATOR = "/vtex/api/notificator/bridgeseller/changenotification/";

    @Autowired
    OfferProjection projection;
    @Autowired
    OfferNotifications notifications;

    @Test
    void aSkuThatChangedAWhileAgoAndWasNeverToldIsNotifiedOneThatJustChangedIsLeftToItsInstance() {
        remote.stubFor(post(urlMatching(NOTIFICATOR + ".*")).willReturn(aResponse().withStatus(202)));
        String lost = seed(), fresh = seed();
        jdbc.update("UPDATE offer_projection SET updated_at = updated_at - INTERVAL '1' HOUR WHERE sku_id = ?", lost);

        assertThat(notifications.recoverStale()).isPositive();

        await().atMost(Duration.ofSeconds(10)).until(() -> told(lost) == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> told(fresh) == 0);
    }

    private String seed() {
        String sku = "RECOVER-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(new OfferUpdate(sku, 4990L, 5990L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of("main", 5)));
        jdbc.update("INSERT INTO offer_sync (sku_id, updated_at) VALUES (?, CURRENT_TIMESTAMP)", sku);
        return sku;
    }

    private int told(String sku) {
        return remote.findAll(postRequestedFor(urlEqualTo(NOTIFICATOR + sku + "/inventory"))).size();
    }
}
