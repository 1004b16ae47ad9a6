package dev.vtexbridge.sync;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The announcements of changed SKUs fit PostgreSQL's notification payload limit and name every SKU once. */
class OfferChangeFeedTest {

    @Test
    void manySkusAreCutIntoPayloadsUnderPostgresqlsLimitEachNamingItsSender() {
        List<String> skus = IntStream.range(0, 3000).mapToObj(i -> "SKU-" + i + "-ÁÉ").toList();

        List<String> payloads = OfferChangeFeed.payloads("inst", 42, skus);

        assertThat(payloads).hasSizeGreaterThan(1);
        assertThat(payloads).allSatisfy(payload -> {
            assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000);
            assertThat(payload).startsWith("inst;42;");
        });
        assertThat(payloads.stream().flatMap(p -> List.of(p.split(";", 3)[2].split(",")).stream()).toList())
                .containsExactlyElementsOf(skus);
    }

    @Test
    void nothingChangedIsNoPayload() {
        assertThat(OfferChangeFeed.payloads("inst", 42, List.of())).isEmpty();
    }
}
