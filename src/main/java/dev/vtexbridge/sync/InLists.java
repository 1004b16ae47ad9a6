package dev.vtexbridge.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** SQL {@code IN (?, ?, …)} lists for the batch statements of the sync flows, kept to a size every database takes. */
final class InLists {

    static final int MAX_SIZE = 500;

    private InLists() {
    }

    /** The values in lists of at most {@value #MAX_SIZE}, in their iteration order. */
    static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = new ArrayList<>(values);
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MAX_SIZE) {
            chunks.add(all.subList(from, Math.min(all.size(), from + MAX_SIZE)));
        }
        return chunks;
    }

    /** {@code ?, ?, …} for {@code count} values. */
    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
