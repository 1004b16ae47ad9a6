package dev.vtexbridge.marketplace;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.MarketplaceOrders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a page of a marketplace's order feed is read: where its orders and its next cursor are. */
class MarketplaceOrderFeedTest {

    private final MarketplaceOrderFeed feed = new MarketplaceOrderFeed(null, null, null, new ObjectMapper(), null);

    private static MarketplaceOrders.RestPoll poll(String ordersPointer, String cursorPointer) {
        return new MarketplaceOrders.RestPoll("https://marketplace.example/orders", null, Map.of(), null, ordersPointer,
                cursorPointer);
    }

    private MarketplaceOrderFeed.Page page(MarketplaceOrders.RestPoll poll, String body) throws Exception {
        return feed.page(poll, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void byDefaultTheOrdersAreTheAnswerWhenItIsAnArrayElseAtOrdersAndTheCursorAtCursor() throws Exception {
        MarketplaceOrderFeed.Page array = page(poll(null, null), "[{\"marketplaceOrderId\": \"1\"}, {\"marketplaceOrderId\": \"2\"}]");
        assertThat(array.orders()).hasSize(2);
        assertThat(array.cursor()).isNull();

        MarketplaceOrderFeed.Page object = page(poll(null, null), "{\"orders\": [{\"marketplaceOrderId\": \"1\"}], \"cursor\": \"c-7\"}");
        assertThat(object.orders()).singleElement().satisfies(o -> assertThat(o.path("marketplaceOrderId").asText()).isEqualTo("1"));
        assertThat(object.cursor()).isEqualTo("c-7");

        assertThat(page(poll(null, null), "{\"orders\": [], \"cursor\": null}").cursor()).as("no next cursor").isNull();
        assertThat(page(poll(null, null), "{\"orders\": [], \"cursor\": 42}").cursor()).isEqualTo("42");
    }

    @Test
    void thePointersFindOrdersAndCursorElsewhere() throws Exception {
        MarketplaceOrderFeed.Page page = page(poll("/data/items", "/paging/next"),
                "{\"data\": {\"items\": [{\"marketplaceOrderId\": \"9\"}]}, \"paging\": {\"next\": \"p2\"}}");
        assertThat(page.orders()).hasSize(1);
        assertThat(page.cursor()).isEqualTo("p2");
    }

    @Test
    void anAnswerWithoutItsArrayOfOrdersOrNotJsonIsAFailedPoll() {
        assertThatThrownBy(() -> page(poll(null, null), "{\"items\": []}"))
                .isInstanceOf(MarketplaceOrderFeed.FeedFailure.class).hasMessageContaining("no array of orders at /orders");
        assertThatThrownBy(() -> page(poll("/data", null), "{\"data\": {}}"))
                .isInstanceOf(MarketplaceOrderFeed.FeedFailure.class).hasMessageContaining("at /data");
        assertThatThrownBy(() -> page(poll(null, null), "<html>maintenance</html>"))
                .isInstanceOf(MarketplaceOrderFeed.FeedFailure.class).hasMessageContaining("is not JSON");
    }
}
