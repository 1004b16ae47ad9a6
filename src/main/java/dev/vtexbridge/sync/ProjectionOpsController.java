package dev.vtexbridge.sync;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.vtexbridge.web.ApiError;
import dev.vtexbridge.web.StrictJson;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ops API over the offer projection (guarded by the ops token like all of {@code /ops/api}): look at what the
 * simulation answers from for one SKU, and set offers by hand or in bulk (seeding, repairing a sync gap).
 * Input is read strictly: one JSON document within {@code bridge.http.json} ({@link StrictJson}), prices are integer
 * cents, numbers are never coerced, unknown fields are refused.
 */
@RestController
@RequestMapping("/ops/api/projection")
public class ProjectionOpsController {

    /** Most offers one {@code POST /ops/api/projection} may carry. */
    static final int MAX_BATCH = 10_000;
    private static final int MAX_ID_LENGTH = 100;
    private static final int MAX_UNIT_LENGTH = 20;
    private static final BigDecimal MAX_DIMENSION = new BigDecimal("99999999.99");

    private final OfferProjection projection;
    private final StrictJson strict;
    private final ObjectMapper json;
    private final ObjectReader offerReader;

    ProjectionOpsController(OfferProjection projection, StrictJson strict) {
        this.projection = projection;
        this.strict = strict;
        this.json = strict.mapperBuilder()
                .findAndAddModules()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        this.offerReader = json.readerFor(OfferUpdate.class);
    }

    /** An offer as the projection holds it, with its derived stock figures. */
    public record ProjectionEntry(@JsonUnwrapped OfferState offer, int stock, int available, boolean sellable) {
        static ProjectionEntry of(OfferState offer) {
            return new ProjectionEntry(offer, offer.stock(), offer.available(), offer.sellable());
        }
    }

    @GetMapping("/{skuId}")
    public ResponseEntity<?> get(@PathVariable String skuId) {
        return projection.find(skuId).<ResponseEntity<?>>map(offer -> ResponseEntity.ok(ProjectionEntry.of(offer)))
                .orElseGet(() -> ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no offer for SKU '" + skuId + "' in the projection"));
    }

    @PutMapping("/{skuId}")
    public ResponseEntity<?> put(@PathVariable String skuId, @RequestBody(required = false) byte[] body) {
        JsonNode node = parse(body);
        JsonNode bodySku = node.get("skuId");
        if (bodySku != null && !bodySku.isNull() && !skuId.equals(bodySku.asText())) {
            throw new BadOffer("skuId in the body ('" + bodySku.asText() + "') differs from the path ('" + skuId + "')");
        }
        OfferUpdate update = toUpdate(node, skuId, "");
        projection.upsert(update);
        return ResponseEntity.ok(ProjectionEntry.of(projection.find(skuId).orElseThrow()));
    }

    @PostMapping
    public Map<String, Integer> upsertAll(@RequestBody(required = false) byte[] body) {
        JsonNode array = parse(body);
        if (!array.isArray()) {
            throw new BadOffer("expected a JSON array of offers");
        }
        if (array.size() > MAX_BATCH) {
            throw new BadOffer("at most " + MAX_BATCH + " offers per call, got " + array.size());
        }
        List<OfferUpdate> updates = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            updates.add(toUpdate(array.get(i), null, "[" + i + "]"));
        }
        return Map.of("upserted", projection.upsertAll(updates));
    }

    @ExceptionHandler(BadOffer.class)
    ResponseEntity<ApiError> badOffer(BadOffer e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, "bad_offer", e.getMessage());
    }

    /** One JSON document within the limits of {@code bridge.http.json} ({@link StrictJson}), or a 400 saying why not. */
    private JsonNode parse(byte[] body) {
        try {
            return strict.read(json.readerFor(JsonNode.class), body);
        } catch (StrictJson.InvalidJson e) {
            throw new BadOffer(e.getMessage());
        } catch (IOException e) {
            throw new BadOffer("unreadable body: " + e.getMessage());
        }
    }

    /** Binds and checks one offer; {@code where} prefixes field names in messages ("[3].price"). */
    private OfferUpdate toUpdate(JsonNode node, String pathSkuId, String where) {
        if (!node.isObject()) {
            throw new BadOffer(label(where, "") + "expected a JSON object");
        }
        if (!node.hasNonNull("active")) {
            throw new BadOffer(label(where, "active") + "is required (true or false)");
        }
        OfferUpdate update;
        try {
            update = offerReader.readValue(node);
        } catch (UnrecognizedPropertyException e) {
            throw new BadOffer(label(where, fieldPath(e)) + "is unknown; an offer has " + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            String field = fieldPath(e);
            throw new BadOffer(label(where, field) + (field.equals("price") || field.equals("listPrice")
                    ? "prices are integer cents (4990 for 49.90)"
                    : "has the wrong type or value: " + e.getOriginalMessage().lines().findFirst().orElse("")));
        } catch (IOException e) {
            throw new BadOffer(label(where, "") + "unreadable: " + e.getMessage());
        }
        if (pathSkuId != null) {
            update = new OfferUpdate(pathSkuId, update.price(), update.listPrice(), update.priceValidUntil(),
                    update.active(), update.measurementUnit(), update.unitMultiplier(), update.weightGrams(),
                    update.heightCm(), update.widthCm(), update.lengthCm(), update.stockByWarehouse());
        }
        check(update, where);
        return update;
    }

    private static void check(OfferUpdate u, String where) {
        require(u.skuId() != null && !u.skuId().isBlank() && u.skuId().length() <= MAX_ID_LENGTH, where, "skuId",
                "is required, at most " + MAX_ID_LENGTH + " characters");
        require(u.price() == null || u.price() >= 0, where, "price", "must not be negative (integer cents)");
        require(u.listPrice() == null || u.listPrice() >= 0, where, "listPrice", "must not be negative (integer cents)");
        require(u.measurementUnit() == null || u.measurementUnit().length() <= MAX_UNIT_LENGTH, where, "measurementUnit",
                "is at most " + MAX_UNIT_LENGTH + " characters");
        require(u.unitMultiplier() == null || u.unitMultiplier() >= 1, where, "unitMultiplier", "must be at least 1");
        require(u.weightGrams() == null || u.weightGrams() >= 0, where, "weightGrams", "must not be negative");
        checkDimension(u.heightCm(), where, "heightCm");
        checkDimension(u.widthCm(), where, "widthCm");
        checkDimension(u.lengthCm(), where, "lengthCm");
        if (u.stockByWarehouse() != null) {
            u.stockByWarehouse().forEach((warehouse, quantity) -> {
                require(!warehouse.isBlank() && warehouse.length() <= MAX_ID_LENGTH, where, "stockByWarehouse",
                        "warehouse ids are 1 to " + MAX_ID_LENGTH + " characters");
                require(quantity != null && quantity >= 0, where, "stockByWarehouse." + warehouse,
                        "must be a quantity of 0 or more");
            });
        }
    }

    private static void checkDimension(BigDecimal value, String where, String field) {
        require(value == null || (value.signum() >= 0 && value.compareTo(MAX_DIMENSION) <= 0 && value.scale() <= 2),
                where, field, "must be between 0 and " + MAX_DIMENSION + " with at most 2 decimals");
    }

    private static void require(boolean ok, String where, String field, String problem) {
        if (!ok) {
            throw new BadOffer(label(where, field) + problem);
        }
    }

    private static String label(String where, String field) {
        String path = field.isEmpty() ? where : where.isEmpty() ? field : where + "." + field;
        return path.isEmpty() ? "" : "field '" + path + "' ";
    }

    /** {@code stockByWarehouse.WH-1} from Jackson's reference path. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static final class BadOffer extends RuntimeException {
        BadOffer(String message) {
            super(message);
        }
    }
}
