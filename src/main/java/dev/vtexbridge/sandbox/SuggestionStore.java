package dev.vtexbridge.sandbox;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

/**
 * The SKU suggestions the sandbox marketplace received, in memory. The sandbox "approves" every valid suggestion
 * {@code bridge.sandbox.approval-delay} after it arrived (as a marketplace operator or auto-approval would), so a
 * suggested SKU counts as bound to the marketplace from then on and its change notifications answer 200.
 */
@Component
@ConditionalOnSandbox
public class SuggestionStore {

    /** A suggestion as received; {@code content} is the body the seller sent. */
    public record StoredSuggestion(String account, String sellerId, String sellerSkuId, Instant receivedAt,
                                   JsonNode content) {
    }

    private record Key(String sellerId, String sellerSkuId) {
    }

    private final Map<Key, StoredSuggestion> suggestions = new ConcurrentHashMap<>();
    private final java.time.Clock clock;
    private final java.time.Duration approvalDelay;

    public SuggestionStore(java.time.Clock clock, SandboxProperties properties) {
        this.clock = clock;
        this.approvalDelay = properties.approvalDelay();
    }

    /** Saves or replaces the suggestion of the seller's SKU. */
    public void save(StoredSuggestion suggestion) {
        suggestions.put(new Key(suggestion.sellerId(), suggestion.sellerSkuId()), suggestion);
    }

    public Optional<StoredSuggestion> find(String sellerId, String sellerSkuId) {
        return Optional.ofNullable(suggestions.get(new Key(sellerId, sellerSkuId)));
    }

    public boolean isBound(String sellerId, String sellerSkuId) {
        StoredSuggestion suggestion = suggestions.get(new Key(sellerId, sellerSkuId));
        return suggestion != null && !suggestion.receivedAt().plus(approvalDelay).isAfter(clock.instant());
    }

    /** Newest first. */
    public List<StoredSuggestion> all() {
        return suggestions.values().stream()
                .sorted(Comparator.comparing(StoredSuggestion::receivedAt).reversed())
                .toList();
    }

    public void clear() {
        suggestions.clear();
    }
}
