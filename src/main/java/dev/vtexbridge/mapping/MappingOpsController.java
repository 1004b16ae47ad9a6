package dev.vtexbridge.mapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.marketplace.ListingOps;
import dev.vtexbridge.model.ErpProduct;
import dev.vtexbridge.ops.OpsAudit;
import dev.vtexbridge.ops.OpsTokenFilter;
import dev.vtexbridge.web.ApiError;
import dev.vtexbridge.web.Paging;
import dev.vtexbridge.web.TableSort;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ops API of the mappings: which files are in force (and why a changed one is not), the completeness report (ERP
 * categories, brands and attributes without a mapping and the SKUs they block) and the preview (an ERP product in,
 * the VTEX payloads or the exact mapping errors out).
 */
@RestController
@RequestMapping("/ops/api/mappings")
public class MappingOpsController {

    private final MappingRegistry registry;
    private final Connections connections;
    private final OfferMapping mapping;
    private final ErpCatalog erp;
    private final ObjectMapper json;

    private final OpsAudit audit;
    private final Paging paging;
    private final ListingOps listings;

    MappingOpsController(MappingRegistry registry, OfferMapping mapping, ErpCatalog erp, ObjectMapper json, OpsAudit audit,
                         Paging paging, Connections connections, ListingOps listings) {
        this.listings = listings;
        this.connections = connections;
        this.registry = registry;
        this.mapping = mapping;
        this.erp = erp;
        this.json = json;
        this.audit = audit;
        this.paging = paging;
    }

    /** Re-reads the mapping files now; answers whether a new set came into force and each file's status. */
    @PostMapping("/reload")
    public Map<String, Object> reload(HttpServletRequest request) {
        boolean changed = registry.reloadIfChanged();
        List<MappingRegistry.FileStatus> files = registry.status();
        List<String> errors = files.stream().filter(file -> file.error() != null)
                .map(file -> file.file() + ": " + file.error()).toList();
        audit.record(OpsTokenFilter.actorOf(request), "MAPPING_RELOAD", "mappings",
                errors.isEmpty() ? (changed ? "RELOADED" : "UNCHANGED") : (changed ? "RELOADED_WITH_ERRORS" : "ERRORS"),
                errors.isEmpty() ? null : String.join("; ", errors));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("changed", changed);
        answer.put("files", files);
        return answer;
    }

    @GetMapping
    public List<MappingRegistry.FileStatus> files() {
        registry.reloadIfChanged();
        return registry.status();
    }

    /** The blocked SKUs of the completeness report sort by SKU or by what blocks them. */
    static final TableSort BLOCKED_SORT = TableSort.inMemory("sku", "sku", "blockedBy");

    /**
     * The completeness report. The unmapped categories, brands and attributes are whole (at most one row per ERP
     * category, brand or attribute name); the blocked SKUs, one row per SKU, come a page at a time.
     */
    @GetMapping("/completeness")
    public ResponseEntity<?> completeness(@RequestParam(required = false) String sort,
                                          @RequestParam(defaultValue = "0") int page,
                                          @RequestParam(defaultValue = "50") int size,
                                          @RequestParam(defaultValue = "default") String connection) {
        paging.check(page, size);
        TableSort.Order order = BLOCKED_SORT.parse(sort);
        Connection target = connections.find(connection).orElse(null);
        if (target == null) {
            return noSuchConnection(connection);
        }
        if (target.role() == Connection.Role.MARKETPLACE) {
            // the store's data is VTEX's: what is unmapped is what the connection's listings found unmapped
            return ResponseEntity.ok(listings.completeness(connection, sort, page, size));
        }
        Mappings mappings = registry.forConnection(connection);
        Map<String, Integer> categorySkus = new TreeMap<>();
        Map<String, Integer> brandSkus = new TreeMap<>();
        Map<String, Integer> attributeSkus = new TreeMap<>();
        List<Map<String, Object>> blocked = new ArrayList<>();
        int[] scanned = {0};
        erp.forEach(mappings.prices().priceList(), product -> {
            scanned[0]++;
            var offer = product.offer();
            if (!mappings.categories().categories().containsKey(offer.categoryId())) {
                categorySkus.merge(offer.categoryId(), 1, Integer::sum);
            }
            if (!mappings.brands().brands().containsKey(offer.brandId())) {
                brandSkus.merge(offer.brandId(), 1, Integer::sum);
            }
            TreeSet<String> names = new TreeSet<>(offer.productAttributes().keySet());
            names.addAll(offer.skuAttributes().keySet());
            names.stream().filter(name -> !mappings.attributes().attributes().containsKey(name))
                    .forEach(name -> attributeSkus.merge(name, 1, Integer::sum));
            // as the catalog flow maps it for that connection: the SKUs listed are those it blocks there
            MappingContext context = mapping.map(product, target);
            List<String> blockers = context.errors().stream().map(MappingError::blockedBy).filter(b -> b != null).distinct().toList();
            if (!blockers.isEmpty()) {
                Map<String, Object> sku = new LinkedHashMap<>();
                sku.put("sku", offer.skuId());
                sku.put("blockedBy", blockers);
                sku.put("errors", context.errors());
                blocked.add(sku);
            }
        });
        Map<String, String> categoryNames = erp.categories();
        Map<String, String> brandNames = erp.brands();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scannedSkus", scanned[0]);
        report.put("unmappedCategories", categorySkus.entrySet().stream().map(e -> Map.of("erpId", e.getKey(),
                "name", String.valueOf(categoryNames.get(e.getKey())), "skus", e.getValue())).toList());
        report.put("unmappedBrands", brandSkus.entrySet().stream().map(e -> Map.of("erpId", e.getKey(),
                "name", String.valueOf(brandNames.get(e.getKey())), "skus", e.getValue())).toList());
        report.put("unmappedAttributes", attributeSkus.entrySet().stream().map(e -> Map.of("name", e.getKey(),
                "skus", e.getValue(), "blocks", mappings.attributes().blockUnmapped())).toList());
        Comparator<Map<String, Object>> bySku = Comparator.comparing(sku -> (String) sku.get("sku"));
        Comparator<Map<String, Object>> comparator = order.column().equals("blockedBy")
                ? Comparator.<Map<String, Object>, String>comparing(sku -> String.valueOf(sku.get("blockedBy")))
                        .thenComparing(bySku)
                : bySku;
        blocked.sort(order.descending() ? comparator.reversed() : comparator);
        report.put("blockedTotal", blocked.size());
        report.put("page", page);
        report.put("size", size);
        report.put("blockedSkus", blocked.stream().skip((long) page * size).limit(size).toList());
        return ResponseEntity.ok(report);
    }

    @PostMapping("/preview")
    public ResponseEntity<?> preview(@RequestBody JsonNode body,
                                     @RequestParam(defaultValue = "default") String connection) {
        Connection target = connections.find(connection).orElse(null);
        if (target == null) {
            return noSuchConnection(connection);
        }
        ErpProduct product;
        try {
            product = json.treeToValue(body, ErpProduct.class);
        } catch (Exception e) {
            return ApiError.of(HttpStatus.BAD_REQUEST, "invalid_product", "not an ERP product: " + e.getMessage());
        }
        if (product == null || product.offer() == null || product.offer().skuId() == null) {
            return ApiError.of(HttpStatus.BAD_REQUEST, "invalid_product", "offer.skuId is required");
        }
        MappingContext context = mapping.map(product, target);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sku", product.offer().skuId());
        answer.put("ok", !context.failed());
        answer.put("errors", context.errors());
        if (!context.failed()) {
            answer.put("suggestion", context.suggestion());
            answer.put("sellingPrice", context.salePrice());
            answer.put("exposedQuantity", context.availableQuantity());
        }
        return ResponseEntity.ok(answer);
    }

    private static ResponseEntity<?> noSuchConnection(String connection) {
        return ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no connection " + connection + " (GET /ops/api/connections)");
    }
}
