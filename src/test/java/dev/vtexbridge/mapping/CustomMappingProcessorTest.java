package dev.vtexbridge.mapping;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.model.ErpProduct;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seller's own {@link MappingProcessor} ({@link BrandPrefixMappingProcessor}, a bean) and used by name from the YAML test route
 * test-routes/custom-mapping.camel.yaml between the built-in steps; and the mapping preview and completeness report.
 */
class CustomMappingProcessorTest extends EngineTest {

    @Autowired
    ProducerTemplate producer;
    @Autowired
    @Qualifier("erpJdbc")
    NamedParameterJdbcTemplate erp;
    @Autowired
    dev.vtexbridge.erp.ErpCatalog catalog;

    @Test
    void aYamlRouteUsesTheSellersProcessorByBeanName() {
        ErpProduct product = catalog.find("P0010-1", "default").orElseThrow();
        MappingContext context = producer.requestBody("direct:custom-mapping", product, MappingContext.class);

        assertThat(context.errors()).isEmpty();
        assertThat(context.suggestion().path("ProductName").asText()).startsWith(context.suggestion().path("BrandName").asText() + " - ");
    }

    @Test
    void previewAnswersThePayloadsOrTheExactErrors() {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        int erpSkus = erp.queryForObject("SELECT COUNT(*) FROM erp_sku", Map.of(), Integer.class);
        String offer = "{\"skuId\":\"X-1\",\"productId\":\"X\",\"productName\":\"Lamp\",\"productDescription\":\"A lamp\","
                + "\"skuName\":\"Lamp white\",\"categoryId\":\"%s\",\"categoryName\":\"Lamps\",\"brandId\":\"B01\",\"ean\":\"7890000000017\","
                + "\"weightGrams\":500,\"heightCm\":10,\"widthCm\":10,\"lengthCm\":10,\"active\":true,"
                + "\"images\":[{\"label\":\"main\",\"fileName\":\"x.jpg\"}],\"skuAttributes\":{\"color\":\"Branco\"}}";
        String body = "{\"offer\":" + offer.formatted("C13") + ",\"price\":{\"skuId\":\"X-1\",\"priceList\":\"default\",\"price\":4990},"
                + "\"stock\":{\"skuId\":\"X-1\",\"warehouses\":{\"main\":10}}}";

        JsonNode ok = ops.post("/ops/api/mappings/preview", body).json();
        assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.path("suggestion").path("CategoryFullPath").asText()).isEqualTo("Home/Lamps");
        assertThat(ok.path("suggestion").path("Pricing").path("SalePrice").asLong()).isEqualTo(4990);
        assertThat(ok.path("suggestion").path("AvailableQuantity").asInt()).isEqualTo(9);
        assertThat(ok.path("suggestion").path("SkuSpecifications").toString()).contains("White");

        JsonNode bad = ops.post("/ops/api/mappings/preview", body.replace("\"C13\"", "\"C77\"").replace("\"price\":{\"skuId\":\"X-1\",\"priceList\":\"default\",\"price\":4990},", "")).json();
        assertThat(bad.path("ok").asBoolean()).isFalse();
        assertThat(bad.path("errors").toString()).contains("C77").contains("category:C77").contains("Pricing.SalePrice");

        // Another connection's mappings: outlet's overlay price rules take 10 % off; an unknown connection is 404.
        JsonNode outlet = ops.post("/ops/api/mappings/preview?connection=outlet", body).json();
        assertThat(outlet.path("suggestion").path("Pricing").path("SalePrice").asLong()).isEqualTo(4491);
        assertThat(ops.post("/ops/api/mappings/preview?connection=nope", body).status()).isEqualTo(404);
        assertThat(ops.get("/ops/api/mappings/completeness?connection=nope").status()).isEqualTo(404);

        JsonNode files = ops.get("/ops/api/mappings").json();
        assertThat(files.toString()).contains("categories.yaml").doesNotContain("\"error\":\"");
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_sku", Map.of(), Integer.class))
                .as("a preview writes nothing to the ERP").isEqualTo(erpSkus);
    }
}
