package dev.vtexbridge.erp;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.web.JsonLimits;
import dev.vtexbridge.web.StrictJson;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One poll of the SQL change table, as the default triggers deliver it (all its rows in one exchange): one event per
 * SKU with the SKU's latest change, the ids of every row kept for the statement that marks them processed, and a row
 * without a SKU set aside on its own instead of failing the poll.
 */
class ErpChangeRowsTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 12, 7, 9, 0, 0, 0, ZoneOffset.UTC);
    private final ErpEvents events = new ErpEvents(new ObjectMapper().findAndRegisterModules(),
            new StrictJson(new JsonLimits(8, 20, 10, 12)), 1024);
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void aPollIsOneEventPerSkuWithItsLatestChange() throws Exception {
        exchange.getIn().setBody(List.of(row(1, "A", 0), row(2, "B", 1), row(3, "A", 5), row(4, "A", 3), row(5, "C", 2)));

        List<ErpChange> read = events.read("stock", exchange);

        assertThat(read).extracting(ErpChange::sku).containsExactly("A", "B", "C");
        assertThat(read).allSatisfy(change -> assertThat(change.kind()).isEqualTo("stock"));
        assertThat(read.get(0).updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(exchange.getVariable(ErpEvents.CHANGE_IDS)).isEqualTo(List.of(1L, 2L, 3L, 4L, 5L));
        assertThat(exchange.getProperty(ErpEvents.REJECTED, List.class)).isEmpty();
    }

    @Test
    void aRowWithoutASkuIsSetAsideAndFailsAlone() throws Exception {
        Map<String, Object> blank = row(2, " ", 1);
        exchange.getIn().setBody(List.of(row(1, "A", 0), blank));

        assertThat(events.read("price", exchange)).extracting(ErpChange::sku).containsExactly("A");
        assertThat(exchange.getVariable(ErpEvents.CHANGE_IDS)).isEqualTo(List.of(1L, 2L));
        assertThat(exchange.getProperty(ErpEvents.REJECTED, List.class)).containsExactly(blank);

        // what the flow's rejected route does with it: fails with the problem named (to the failed-message store)
        Exchange alone = new DefaultExchange(exchange.getContext());
        alone.getIn().setBody(blank);
        assertThatThrownBy(() -> events.read("price", alone)).hasMessageContaining("sku: required");
    }

    private static Map<String, Object> row(long changeId, String sku, int secondsAfter) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("change_id", changeId);
        row.put("sku_id", sku);
        row.put("changed_at", T0.plusSeconds(secondsAfter));
        return row;
    }
}
