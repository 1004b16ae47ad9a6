package dev.vtexbridge.marketplace;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each SKU's listing on its external marketplace, per (connection, SKU) (table {@code marketplace_listing}): listed,
 * delisted, or error with the reason and the missing mapping entry ({@code blockedBy}), with the values last published.
 */
@Component
public class ListingStore {

    public enum Status { LISTED, DELISTED, ERROR }

    public record Listing(String connection, String skuId, String productId, Status status, String reason,
                          String blockedBy, Boolean active, Long price, Long listPrice, Integer stock,
                          OffsetDateTime changedAt, OffsetDateTime updatedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ListingStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records what was published (listed or delisted), or why nothing was (error: its values stay the last published). */
    public void record(Listing listing) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        String reason = listing.reason() == null ? null : listing.reason().substring(0, Math.min(2000, listing.reason().length()));
        String blockedBy = listing.blockedBy() == null ? null
                : listing.blockedBy().substring(0, Math.min(500, listing.blockedBy().length()));
        boolean error = listing.status() == Status.ERROR;
        String update = error
                ? "UPDATE marketplace_listing SET status = ?, reason = ?, blocked_by = ?, product_id = COALESCE(?, product_id),"
                + " updated_at = ? WHERE connection_id = ? AND sku_id = ?"
                : "UPDATE marketplace_listing SET status = ?, reason = ?, blocked_by = ?, product_id = COALESCE(?, product_id),"
                + " updated_at = ?, active = ?, price = ?, list_price = ?, stock = ?, changed_at = ?"
                + " WHERE connection_id = ? AND sku_id = ?";
        Object[] args = error
                ? new Object[] {listing.status().name(), reason, blockedBy, listing.productId(), now, listing.connection(),
                        listing.skuId()}
                : new Object[] {listing.status().name(), reason, blockedBy, listing.productId(), now, listing.active(),
                        listing.price(), listing.listPrice(), listing.stock(), listing.changedAt(), listing.connection(),
                        listing.skuId()};
        if (jdbc.update(update, args) > 0) {
            return;
        }
        int inserted = jdbc.update("INSERT INTO marketplace_listing (connection_id, sku_id, product_id, status, reason,"
                        + " blocked_by, active, price, list_price, stock, changed_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                listing.connection(), listing.skuId(), listing.productId(), listing.status().name(), reason, blockedBy,
                error ? null : listing.active(), error ? null : listing.price(), error ? null : listing.listPrice(),
                error ? null : listing.stock(), error ? null : listing.changedAt(), now);
        if (inserted == 0) {
            jdbc.update(update, args);
        }
    }

    /** Stores the digest of what was just published ({@link #digest(String)} of the sink's body without its time). */
    public void recordDigest(String connection, String skuId, String digest) {
        jdbc.update("UPDATE marketplace_listing SET offer_digest = ? WHERE connection_id = ? AND sku_id = ?", digest,
                connection, skuId);
    }

    /** The digest of the last publication, empty when none was recorded. */
    public Optional<String> digest(String connection, String skuId) {
        return jdbc.queryForList("SELECT offer_digest FROM marketplace_listing WHERE connection_id = ? AND sku_id = ?",
                String.class, connection, skuId).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** SHA-256 of a text, in hex. */
    public static String digest(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Listing> find(String connection, String skuId) {
        return jdbc.query("SELECT * FROM marketplace_listing WHERE connection_id = ? AND sku_id = ?", (rs, i) -> new Listing(
                rs.getString("connection_id"), rs.getString("sku_id"), rs.getString("product_id"),
                Status.valueOf(rs.getString("status")), rs.getString("reason"), rs.getString("blocked_by"),
                rs.getObject("active", Boolean.class), rs.getObject("price", Long.class),
                rs.getObject("list_price", Long.class), rs.getObject("stock", Integer.class),
                rs.getObject("changed_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)),
                connection, skuId).stream().findFirst();
    }
}
