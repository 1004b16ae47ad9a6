package db.erp;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The demo ERP's catalog (only where Flyway migrates the ERP database: the embedded default, and tests): 20
 * categories, 8 brands, 100 products with 3 SKUs each (300 SKUs) with EAN, dimensions, two images, attributes, a
 * price in the "default" price list and stock in two warehouses. Every SKU also gets one pending change per flow in
 * erp_change, so the default run syncs the whole catalog right after start-up. Deterministic: same data every time.
 */
public class V2__Demo_catalog extends BaseJavaMigration {

    static final List<String> CATEGORIES = List.of("T-shirts", "Shirts", "Trousers", "Shoes", "Sneakers", "Jackets",
            "Dresses", "Bags", "Watches", "Sunglasses", "Headphones", "Speakers", "Lamps", "Chairs", "Tables",
            "Cookware", "Cutlery", "Towels", "Bedding", "Backpacks");
    static final List<String> BRANDS = List.of("Acme", "Borealis", "Cobalt", "Dunmore", "Elmwood", "Fjord", "Granite",
            "Harbor");
    private static final List<String> COLORS = List.of("Azul", "Preto", "Branco");
    private static final List<String> SIZES = List.of("P", "M", "G");
    private static final List<String> MATERIALS = List.of("Cotton", "Leather", "Steel", "Wood", "Polyester");
    private static final OffsetDateTime SEEDED = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    @Override
    public void migrate(Context context) throws SQLException {
        Connection db = context.getConnection();
        boolean changes = !"false".equals(context.getConfiguration().getPlaceholders().get("demo_changes"));
        try (PreparedStatement category = db.prepareStatement(
                "INSERT INTO erp_category (category_id, name, parent_id, updated_at) VALUES (?, ?, NULL, ?)")) {
            for (int c = 0; c < CATEGORIES.size(); c++) {
                category.setString(1, categoryId(c));
                category.setString(2, CATEGORIES.get(c));
                category.setObject(3, SEEDED);
                category.addBatch();
            }
            category.executeBatch();
        }
        try (PreparedStatement brand = db.prepareStatement(
                "INSERT INTO erp_brand (brand_id, name, updated_at) VALUES (?, ?, ?)")) {
            for (int b = 0; b < BRANDS.size(); b++) {
                brand.setString(1, String.format("B%02d", b + 1));
                brand.setString(2, BRANDS.get(b));
                brand.setObject(3, SEEDED);
                brand.addBatch();
            }
            brand.executeBatch();
        }
        try (PreparedStatement product = db.prepareStatement("INSERT INTO erp_product (product_id, name, description, "
                + "category_id, brand_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement sku = db.prepareStatement("INSERT INTO erp_sku (sku_id, product_id, name, ean, ref_id, "
                     + "weight_grams, height_cm, width_cm, length_cm, measurement_unit, unit_multiplier, active, updated_at) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'un', 1, TRUE, ?)");
             PreparedStatement image = db.prepareStatement(
                     "INSERT INTO erp_sku_image (sku_id, position, label, file_name, updated_at) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement attribute = db.prepareStatement(
                     "INSERT INTO erp_attribute (owner_type, owner_id, attribute_name, attribute_value, updated_at) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement price = db.prepareStatement("INSERT INTO erp_price (sku_id, price_list, price, list_price, "
                     + "currency, updated_at) VALUES (?, 'default', ?, ?, 'BRL', ?)");
             PreparedStatement stock = db.prepareStatement(
                     "INSERT INTO erp_stock (sku_id, warehouse_id, quantity, updated_at) VALUES (?, ?, ?, ?)");
             PreparedStatement change = db.prepareStatement(
                     "INSERT INTO erp_change (entity, sku_id, changed_at) VALUES (?, ?, ?)")) {
            for (int p = 1; p <= 100; p++) {
                int c = (p - 1) % CATEGORIES.size();
                String productId = String.format("P%04d", p);
                String productName = BRANDS.get(p % BRANDS.size()) + " " + CATEGORIES.get(c) + " " + p;
                product.setString(1, productId);
                product.setString(2, productName);
                product.setString(3, "Demo product " + p + " of the " + CATEGORIES.get(c) + " range.");
                product.setString(4, categoryId(c));
                product.setString(5, String.format("B%02d", p % BRANDS.size() + 1));
                product.setObject(6, SEEDED);
                product.addBatch();
                attr(attribute, "product", productId, "material", MATERIALS.get(p % MATERIALS.size()));
                for (int v = 0; v < 3; v++) {
                    String skuId = productId + "-" + (v + 1);
                    sku.setString(1, skuId);
                    sku.setString(2, productId);
                    sku.setString(3, productName + " " + COLORS.get(v) + " " + SIZES.get(v));
                    sku.setString(4, ean(p * 10 + v));
                    sku.setString(5, skuId);
                    sku.setInt(6, 100 + (p * 37 + v * 11) % 1900);
                    sku.setBigDecimal(7, BigDecimal.valueOf(5 + p % 20));
                    sku.setBigDecimal(8, BigDecimal.valueOf(10 + p % 30));
                    sku.setBigDecimal(9, BigDecimal.valueOf(15 + p % 25));
                    sku.setObject(10, SEEDED);
                    sku.addBatch();
                    for (int i = 1; i <= 2; i++) {
                        image.setString(1, skuId);
                        image.setInt(2, i);
                        image.setString(3, i == 1 ? "main" : "side");
                        image.setString(4, "products/" + skuId + "-" + i + ".jpg");
                        image.setObject(5, SEEDED);
                        image.addBatch();
                    }
                    attr(attribute, "sku", skuId, "color", COLORS.get(v));
                    attr(attribute, "sku", skuId, "size", SIZES.get(v));
                    BigDecimal amount = BigDecimal.valueOf(1990 + (p * 731L + v * 500L) % 48000, 2);
                    price.setString(1, skuId);
                    price.setBigDecimal(2, amount);
                    price.setBigDecimal(3, amount.multiply(BigDecimal.valueOf(12, 1)).setScale(2, java.math.RoundingMode.HALF_UP));
                    price.setObject(4, SEEDED);
                    price.addBatch();
                    stock(stock, skuId, "main", (p * 7 + v * 3) % 60);
                    stock(stock, skuId, "north", (p * 3 + v) % 15);
                    for (String entity : changes ? List.of("catalog", "price", "stock") : List.<String>of()) {
                        change.setString(1, entity);
                        change.setString(2, skuId);
                        change.setObject(3, SEEDED);
                        change.addBatch();
                    }
                }
            }
            product.executeBatch();
            sku.executeBatch();
            image.executeBatch();
            attribute.executeBatch();
            price.executeBatch();
            stock.executeBatch();
            change.executeBatch();
        }
    }

    private static void attr(PreparedStatement attribute, String ownerType, String ownerId, String name, String value)
            throws SQLException {
        attribute.setString(1, ownerType);
        attribute.setString(2, ownerId);
        attribute.setString(3, name);
        attribute.setString(4, value);
        attribute.setObject(5, SEEDED);
        attribute.addBatch();
    }

    private static void stock(PreparedStatement stock, String skuId, String warehouse, int quantity) throws SQLException {
        stock.setString(1, skuId);
        stock.setString(2, warehouse);
        stock.setInt(3, quantity);
        stock.setObject(4, SEEDED);
        stock.addBatch();
    }

    static String categoryId(int index) {
        return String.format("C%02d", index + 1);
    }

    /** A valid EAN-13 (with check digit) from a number. */
    static String ean(long n) {
        String body = String.format("789%09d", n);
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (body.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return body + (10 - sum % 10) % 10;
    }
}
