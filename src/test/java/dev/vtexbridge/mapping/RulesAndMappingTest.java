package dev.vtexbridge.mapping;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import dev.vtexbridge.sync.PriceRules;
import dev.vtexbridge.sync.StockRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Price and stock rules and image URL rules, plain JUnit. */
class RulesAndMappingTest {

    @Test
    void priceRulesMarkUpRoundFloorAndGuard() {
        PriceRules rules = new PriceRules("default", "BRL", "R$", new PriceRules.Guardrail(BigDecimal.valueOf(30)), List.of(
                new PriceRules.Rule("1", "C09", BigDecimal.TEN, null, new PriceRules.Rounding(null, 90), new BigDecimal("49.90"), null),
                new PriceRules.Rule("*", "*", null, new BigDecimal("1.00"), new PriceRules.Rounding(10, null), null, new BigDecimal("100"))));
        assertThat(rules.sellingPrice("1", "C09", 10000)).isEqualTo(11090);   // +10 % = 110.00 -> ends with .90
        assertThat(rules.sellingPrice("1", "C09", 1000)).isEqualTo(4990);     // floor
        assertThat(rules.sellingPrice("2", "C09", 1234)).isEqualTo(1330);     // fixed +1.00, step 10 cents
        assertThat(rules.sellingPrice("1", "C01", 50000)).isEqualTo(10000);   // ceiling
        assertThat(rules.holds(10000L, 6900)).isTrue();
        assertThat(rules.holds(10000L, 7000)).isFalse();
        assertThat(rules.holds(null, 10)).isFalse();
        assertThat(rules.problems()).isEmpty();
    }

    @Test
    void stockRulesBufferAllocateCapAndSpreadOverCountedWarehouses() {
        StockRules rules = new StockRules(List.of(new StockRules.Rule("*", List.of("main", "north"), 2, 50, 10, 3)));
        assertThat(rules.expose("1", Map.of("main", 20, "north", 4, "outlet", 100))).isEqualTo(Map.of("main", 10, "north", 0));
        assertThat(rules.expose("1", Map.of("main", 5, "north", 1))).isEqualTo(Map.of("main", 0, "north", 0)); // 2 < zeroBelow
        assertThat(rules.expose("1", Map.of("main", 3, "north", 7))).isEqualTo(Map.of("main", 3, "north", 1));
        assertThat(new StockRules(List.of(new StockRules.Rule("*", null, -1, 120, null, null))).problems()).hasSize(2);
    }

    @Test
    void imageRulesMakeHttpsUrls() {
        ImageRules images = new ImageRules("https://cdn.example/img/", true, 5);
        assertThat(images.url("a/b.jpg")).isEqualTo("https://cdn.example/img/a/b.jpg");
        assertThat(images.url("/a.jpg")).isEqualTo("https://cdn.example/img/a.jpg");
        assertThat(images.url("http://x.example/p.jpg")).isEqualTo("https://x.example/p.jpg");
        assertThat(new ImageRules(null, false, 5).url("http://x.example/p.jpg")).isNull();
        assertThat(new ImageRules("http://cdn.example", true, 0).problems()).hasSize(2);
    }
}
