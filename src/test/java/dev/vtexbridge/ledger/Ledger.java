package dev.vtexbridge.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a test fed the engine, event by event, and whether the engine took each one on: the ledger the
 * {@link LedgerChecker} holds the effects against. Thread-safe: threads feeding at once each record their own events.
 * <p>
 * Every event has an id unique in the ledger ({@code <scope>-<n>}), an idempotency key (what makes two deliveries
 * the same change: an ERP stock change's SKU and sequence, a placement's marketplace order id, a webhook event's SKU
 * and version), and the effects its application leaves at the stand-ins ({@code inventory@default:SKU},
 * {@code erp-order:MKP-1}, ...; none for a record that can only fail). An event is acknowledged when the engine said
 * it took it: a 2xx answer, a broker's acknowledgement of the send, or a row committed in the ERP's change table.
 * <p>
 * Traces are the texts by which a failed-message row names the event: its id always (a test writes it into what it
 * sends when it can), plus whatever else the engine carries of it (the SKU of a notification).
 */
public final class Ledger {

    /** One event fed to the engine. */
    public record Event(long seq, String id, String kind, String key, List<String> effects, List<String> traces,
                        Instant fedAt, boolean acked, String answer) {

        Event answered(boolean acknowledged, String text) {
            return new Event(seq, id, kind, key, effects, traces, fedAt, acknowledged, text);
        }
    }

    private final String scope;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Event> events = new ConcurrentHashMap<>();

    /** A ledger whose event ids start with {@code scope} (letters, digits and dashes). */
    public Ledger(String scope) {
        if (!scope.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("a scope of letters, digits and dashes: " + scope);
        }
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }

    /** Records an event about to be sent (not acknowledged yet) and returns it, with its id. */
    public Event feed(String kind, String key, List<String> effects, List<String> traces) {
        long seq = sequence.incrementAndGet();
        String id = String.format("%s-%04d", scope, seq);
        List<String> allTraces = new ArrayList<>(traces);
        allTraces.add(0, id);
        Event event = new Event(seq, id, kind, Objects.requireNonNull(key), List.copyOf(effects), List.copyOf(allTraces),
                Instant.now(), false, null);
        events.put(id, event);
        return event;
    }

    public Event feed(String kind, String key, List<String> effects) {
        return feed(kind, key, effects, List.of());
    }

    /** The engine took it on ({@code answer}: what said so, e.g. "202", "committed"). */
    public void ack(Event event, String answer) {
        answer(event, true, answer);
    }

    /** The engine refused it (a 4xx naming the problem) or the send failed: nothing needs to come of it. */
    public void refuse(Event event, String answer) {
        answer(event, false, answer);
    }

    private void answer(Event event, boolean acked, String answer) {
        events.computeIfPresent(event.id(), (id, fed) -> fed.answered(acked, answer));
    }

    /** Every event fed so far, in the order fed. */
    public List<Event> events() {
        return events.values().stream().sorted(Comparator.comparingLong(Event::seq)).toList();
    }

    public Event event(String id) {
        return events.get(id);
    }
}
