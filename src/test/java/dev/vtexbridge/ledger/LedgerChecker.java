package dev.vtexbridge.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.StockAllocation;
import dev.vtexbridge.testkit.ErpStockChanges;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Holds a {@link Ledger} against what the stand-ins saw, and checks the property the engine promises under faults:
 * every change and order it acknowledged ends applied exactly once or in the failed-message store with its reason.
 * <ul>
 *   <li><b>acked ⊆ applied ∪ failed store</b>: each acknowledged event has every one of its effects at the
 *       stand-ins, or a failed-message row names it (one of its traces in the row's body or headers); else it is
 *       <em>lost</em>.</li>
 *   <li><b>no duplicate effect</b>: no effect an event of the ledger leads to was seen more than once (a VTEX
 *       notification per connection, SKU and kind, an ERP order per marketplace order id).</li>
 *   <li><b>final stock = ERP stock</b>: for every SKU with an expected ERP quantity, the projection holds it and each
 *       marketplace was told what its rules expose of it ({@link ErpStockChanges#wrong}).</li>
 *   <li>nothing the engine refused (a 4xx) has effects that no acknowledged event explains.</li>
 * </ul>
 * Effects are read through suppliers, so that the same checks run against the real stand-ins (see the static
 * readers below) and against synthetic effects in a unit test.
 */
public final class LedgerChecker {

    /** How often a wait for the ledger to hold prints where it stands. */
    private static final int PROGRESS_SECONDS = 30;

    /** A row of the failed-message store; {@code text} is its body and headers, where traces are looked for. */
    public record StoredFailure(long id, String routeId, String status, Integer httpStatus, String error, String text) {
    }

    /** The SKUs of the expected ERP stock the engine got wrong (projection or what a marketplace was told). */
    @FunctionalInterface
    public interface StockView {
        Set<String> wrong(Map<String, Integer> erpStock);
    }

    /** The effects at the stand-ins, per effect key, and those the engine never saw answered (not effects). */
    public record Journal(Map<String, Integer> effects, Map<String, Integer> late) {
    }

    /** The counts of one check and the ids that broke an invariant. */
    public record Verdict(String scope, int fed, int acked, int applied, int inFailedStore, List<String> lost,
                          Map<String, List<String>> duplicates, Map<String, Integer> duplicateCounts,
                          List<String> refusedYetApplied, Set<String> wrongStock, int stockChecked, int late,
                          List<String> failureReasons) {

        public boolean holds() {
            return lost.isEmpty() && duplicates.isEmpty() && wrongStock.isEmpty() && refusedYetApplied.isEmpty();
        }

        /** What still keeps the ledger from holding and may yet resolve: events not applied, SKUs' stock wrong. */
        int outstanding() {
            return lost.size() + wrongStock.size();
        }

        /**
         * The counts table, as printed after each check. Late answers are requests a stand-in answered 2xx only after
         * the engine's read timeout: the engine sent them again, so the stand-in saw them twice, but only one answer
         * reached the engine; they are shown, not counted as duplicates (see {@link #vtexNotifications}).
         */
        public String table() {
            String header = String.format("| %-28s | %5s | %5s | %7s | %15s | %4s | %10s | %11s | %12s |", "ledger", "fed",
                    "acked", "applied", "in failed store", "lost", "duplicates", "stock wrong", "late answers");
            String row = String.format("| %-28s | %5d | %5d | %7d | %15d | %4d | %10d | %4d of %4d | %12d |", scope, fed,
                    acked, applied, inFailedStore, lost.size(), duplicates.size(), wrongStock.size(), stockChecked, late);
            return header + "\n" + row;
        }

        /** The table, then every offending id, the reasons of the failed rows and the late answers. */
        public String describe() {
            StringBuilder text = new StringBuilder(table());
            if (!lost.isEmpty()) {
                text.append("\nlost (acknowledged, not applied, not in the failed store): ").append(lost);
            }
            duplicates.forEach((effect, events) -> text.append("\nduplicate effect ").append(effect).append(" seen ")
                    .append(duplicateCounts.get(effect)).append(" times, of events ").append(events));
            if (!refusedYetApplied.isEmpty()) {
                text.append("\nrefused by the engine yet applied: ").append(refusedYetApplied);
            }
            if (!wrongStock.isEmpty()) {
                text.append("\nfinal stock not the ERP's for SKUs: ").append(wrongStock);
            }
            if (!failureReasons.isEmpty()) {
                text.append("\nfailed-store rows of the ledger: ").append(failureReasons);
            }
            if (late > 0) {
                text.append("\nanswered only after the engine's read timeout (not effects it saw): ").append(late);
            }
            return text.toString();
        }
    }

    private final Ledger ledger;
    private final Supplier<Map<String, Integer>> effects;
    private final Supplier<Map<String, Integer>> late;
    private final Supplier<List<StoredFailure>> failures;
    private final StockView stock;
    private final Map<String, Integer> erpStock;
    /** How long the last check took: the pause before the next one grows with it. */
    private long lastCheckMillis;

    /**
     * @param effects  effect key → how often it was seen at the stand-ins
     * @param late     effect key → requests answered only after the engine had given up on them (reported only)
     * @param failures the failed-message store
     * @param stock    the engine's view of the SKUs' stock; {@code erpStock} what the ERP holds (SKU → units)
     */
    public LedgerChecker(Ledger ledger, Supplier<Map<String, Integer>> effects, Supplier<Map<String, Integer>> late,
                         Supplier<List<StoredFailure>> failures, StockView stock, Map<String, Integer> erpStock) {
        this.ledger = ledger;
        this.effects = effects;
        this.late = late;
        this.failures = failures;
        this.stock = stock;
        this.erpStock = Map.copyOf(erpStock);
    }

    /** One look at the effects. */
    public Verdict check() {
        List<Ledger.Event> events = ledger.events();
        Map<String, Integer> seen = effects.get();
        Map<String, Integer> lateSeen = late.get();
        List<StoredFailure> stored = failures.get();

        int acked = 0;
        int applied = 0;
        int inStore = 0;
        List<String> lost = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Set<String> ackedEffects = new TreeSet<>();
        Map<String, List<String>> eventsOfEffect = new TreeMap<>();
        for (Ledger.Event event : events) {
            event.effects().forEach(effect -> eventsOfEffect.computeIfAbsent(effect, e -> new ArrayList<>()).add(event.id()));
            if (event.acked()) {
                acked++;
                ackedEffects.addAll(event.effects());
            }
            boolean isApplied = !event.effects().isEmpty()
                    && event.effects().stream().allMatch(effect -> seen.getOrDefault(effect, 0) > 0);
            List<StoredFailure> naming = stored.stream()
                    .filter(row -> event.traces().stream().anyMatch(trace -> row.text() != null && row.text().contains(trace)))
                    .toList();
            if (isApplied) {
                applied++;
            }
            if (!naming.isEmpty()) {
                inStore++;
                naming.forEach(row -> reasons.add(event.id() + " → #" + row.id() + " " + row.routeId() + " " + row.status()
                        + (row.httpStatus() == null ? "" : " HTTP " + row.httpStatus()) + ": " + abbreviate(row.error())));
            }
            if (event.acked() && !isApplied && naming.isEmpty()) {
                lost.add(event.id() + " (" + event.kind() + " " + event.key() + ", missing "
                        + event.effects().stream().filter(effect -> seen.getOrDefault(effect, 0) == 0).toList() + ")");
            }
        }
        Map<String, List<String>> duplicates = new TreeMap<>();
        Map<String, Integer> duplicateCounts = new TreeMap<>();
        eventsOfEffect.forEach((effect, ids) -> {
            int count = seen.getOrDefault(effect, 0);
            if (count > 1) {
                duplicates.put(effect, ids);
                duplicateCounts.put(effect, count);
            }
        });
        List<String> refusedYetApplied = events.stream().filter(event -> !event.acked())
                .filter(event -> event.effects().stream().anyMatch(effect -> seen.getOrDefault(effect, 0) > 0
                        && !ackedEffects.contains(effect)))
                .map(event -> event.id() + " (" + event.kind() + " " + event.key() + ", answered " + event.answer() + ")")
                .toList();
        int lateCount = eventsOfEffect.keySet().stream().mapToInt(effect -> lateSeen.getOrDefault(effect, 0)).sum();
        return new Verdict(ledger.scope(), events.size(), acked, applied, inStore, lost, duplicates, duplicateCounts,
                refusedYetApplied, wrongStock(), erpStock.size(), lateCount, reasons);
    }

    private Set<String> wrongStock() {
        return erpStock.isEmpty() ? Set.of() : stock.wrong(erpStock);
    }

    /**
     * Checks until every invariant holds, then goes on checking for {@code quiet} (a duplicate or a late failure may
     * come after everything was applied); prints the counts table and throws, naming the offending ids, when no check
     * came closer to holding for {@code stalledFor} (fewer events not applied, fewer SKUs' stock wrong: a large ledger
     * is given the time it takes while it moves) or they stop holding during the quiet time. Prints where it stands
     * every {@value #PROGRESS_SECONDS} s.
     */
    public Verdict awaitHolds(Duration stalledFor, Duration quiet) {
        long deadline = System.nanoTime() + stalledFor.toNanos();
        long nextProgress = System.nanoTime() + PROGRESS_SECONDS * 1_000_000_000L;
        Verdict verdict = timedCheck();
        int closest = verdict.outstanding();
        while (!verdict.holds() && System.nanoTime() < deadline) {
            if (System.nanoTime() > nextProgress) {
                nextProgress = System.nanoTime() + PROGRESS_SECONDS * 1_000_000_000L;
                System.out.printf("LEDGER %s not holding yet: %d of %d acknowledged events not applied, %d duplicates, "
                        + "%d of %d SKUs' stock wrong (one check %d ms)%n", ledger.scope(), verdict.lost().size(),
                        verdict.acked(), verdict.duplicates().size(), verdict.wrongStock().size(), verdict.stockChecked(),
                        lastCheckMillis);
            }
            pause();
            verdict = timedCheck();
            if (verdict.outstanding() < closest) {
                closest = verdict.outstanding();
                deadline = System.nanoTime() + stalledFor.toNanos();
            }
        }
        if (verdict.holds()) {
            long quietUntil = System.nanoTime() + quiet.toNanos();
            while (verdict.holds() && System.nanoTime() < quietUntil) {
                pause();
                verdict = timedCheck();
            }
        }
        System.out.println("LEDGER\n" + verdict.describe());
        if (!verdict.holds()) {
            throw new AssertionError("ledger " + ledger.scope() + " does not hold:\n" + verdict.describe());
        }
        return verdict;
    }

    private Verdict timedCheck() {
        long started = System.nanoTime();
        Verdict verdict = check();
        lastCheckMillis = (System.nanoTime() - started) / 1_000_000;
        return verdict;
    }

    /** At least 250 ms between checks, and twice as long as the last one took: the engine keeps most of the machine. */
    private void pause() {
        try {
            Thread.sleep(Math.max(250, 2 * lastCheckMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while checking the ledger", e);
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "(no reason)";
        }
        String line = text.replaceAll("\\s+", " ");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    // ----- readers of the real stand-ins -----

    /**
     * A price or inventory notification, under an instance's path prefix ({@code /a}, {@code /b}: two instances on
     * one stand-in) or none; groups: the account's path prefix, the SKU, the kind.
     */
    private static final Pattern NOTIFICATION = Pattern.compile(
            "(?:/[a-z])?/vtex(-[a-z]+)?/api/notificator/[^/]+/changenotification/([^/?]+)/(price|inventory)");

    /** Effect key of a notification: {@code inventory@default:SKU}, {@code price@outlet:SKU}. */
    public static String notified(String kind, String connection, String sku) {
        return kind + "@" + connection + ":" + sku;
    }

    /** Effect key of an ERP order row. */
    public static String erpOrder(String marketplaceOrderId) {
        return "erp-order:" + marketplaceOrderId;
    }

    /**
     * The notifications VTEX's stand-in answered 2xx, per effect key ({@code /vtex/...} is connection default,
     * {@code /vtex-<id>/...} connection {@code <id>}). One answered only after {@code readTimeout} (a fixed delay at
     * least that long) was never seen answered by the engine, which had to send it again: it is counted as late,
     * not as an effect. A notification carries no value (the marketplace reads the current one), so such a
     * repeat tells nothing twice; what it must not do is make the engine believe it failed for good.
     */
    public static Journal vtexNotifications(WireMockServer vtex, Duration readTimeout) {
        return journal(vtex, readTimeout, LedgerChecker::notificationOf);
    }

    /** The effect key of a notification request, null for any other request. */
    private static String notificationOf(ServeEvent event) {
        return notificationOf(event.getRequest().getUrl());
    }

    private static String notificationOf(String url) {
        Matcher notification = NOTIFICATION.matcher(url);
        if (!notification.matches()) {
            return null;
        }
        String connection = notification.group(1) == null ? "default" : notification.group(1).substring(1);
        return notified(notification.group(3), connection, notification.group(2));
    }

    /**
     * The notifications as {@link #vtexNotifications}, answered by a stand-in two instances share under path
     * prefixes, one of which ({@code killedPrefix}, e.g. {@code /b}) was halted at {@code kills}. A notification
     * answered to it less than {@code window} before or after a kill (a request in flight is answered after its sender
     * died) and then sent again was told but not recorded by its sender: the repeat is counted as late, as a request answered after the read timeout is (the marketplace
     * reads the current value, so it tells nothing twice). Every other repeat counts as an effect, i.e. a duplicate.
     */
    public static Journal vtexNotificationsAcrossKills(ServedNotifications vtex, String killedPrefix, List<Instant> kills,
                                                       Duration window) {
        Map<String, List<ServedNotifications.Served>> byEffect = new HashMap<>();
        for (ServedNotifications.Served served : vtex.all()) {
            String key = served.status() < 200 || served.status() > 299 ? null : notificationOf(served.url());
            if (key != null) {
                byEffect.computeIfAbsent(key, k -> new ArrayList<>()).add(served);
            }
        }
        Map<String, Integer> effects = new HashMap<>();
        Map<String, Integer> late = new HashMap<>();
        byEffect.forEach((key, served) -> {
            served.sort(Comparator.comparing(ServedNotifications.Served::at));
            effects.put(key, 1);
            for (int i = 1; i < served.size(); i++) {
                ServedNotifications.Served before = served.get(i - 1);
                boolean diedBeforeRecording = before.url().startsWith(killedPrefix + "/") && kills.stream()
                        .anyMatch(kill -> Duration.between(kill, before.at()).abs().compareTo(window) < 0);
                (diedBeforeRecording ? late : effects).merge(key, 1, Integer::sum);
            }
        });
        return new Journal(effects, late);
    }

    /** An invoice call to a marketplace's services endpoint; group 1: the marketplace order id. */
    private static final Pattern INVOICE = Pattern.compile(".*/pvt/orders/([^/?]+)/invoice(\\?.*)?");

    /** Effect key of an invoice told to the marketplace. */
    public static String invoiced(String marketplaceOrderId) {
        return "invoice:" + marketplaceOrderId;
    }

    /** The invoice calls a services endpoint's stand-in answered 2xx, per order ({@link #invoiced}); late as above. */
    public static Journal invoices(WireMockServer marketplace, Duration readTimeout) {
        return journal(marketplace, readTimeout, event -> {
            Matcher invoice = INVOICE.matcher(event.getRequest().getUrl());
            return invoice.matches() && "POST".equals(event.getRequest().getMethod().getName())
                    ? invoiced(invoice.group(1)) : null;
        });
    }

    /**
     * The requests a stand-in answered 2xx, per effect key ({@code effectOf}: null for a request that is none); one
     * answered with a fixed delay of at least {@code readTimeout} counted as late instead.
     */
    public static Journal journal(WireMockServer server, Duration readTimeout, Function<ServeEvent, String> effectOf) {
        Map<String, Integer> effects = new HashMap<>();
        Map<String, Integer> late = new HashMap<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            int status = event.getResponse().getStatus();
            String key = status < 200 || status > 299 ? null : effectOf.apply(event);
            if (key == null) {
                continue;
            }
            Integer delay = event.getResponseDefinition() == null ? null
                    : event.getResponseDefinition().getFixedDelayMilliseconds();
            (delay != null && delay >= readTimeout.toMillis() ? late : effects).merge(key, 1, Integer::sum);
        }
        return new Journal(effects, late);
    }

    /** ERP order rows per marketplace order id, as effect keys ({@link #erpOrder}). */
    public static Map<String, Integer> erpOrders(JdbcTemplate erp) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        erp.query("SELECT marketplace_order_id, COUNT(*) FROM erp_order GROUP BY marketplace_order_id",
                rs -> {
                    rows.put(erpOrder(rs.getString(1)), rs.getInt(2));
                });
        return rows;
    }

    /** Every row of the failed-message store. */
    public static List<StoredFailure> failedStore(JdbcTemplate engineDb) {
        return engineDb.query("SELECT id, route_id, status, http_status, error_message, body, headers FROM failed_message",
                (rs, n) -> new StoredFailure(rs.getLong("id"), rs.getString("route_id"), rs.getString("status"),
                        rs.getObject("http_status", Integer.class), rs.getString("error_message"),
                        rs.getString("body") + "\n" + rs.getString("headers")));
    }

    /** The engine's stock as each connection's rules expose it ({@link ErpStockChanges#wrong}), together. */
    public static StockView stock(JdbcTemplate engineDb, OfferProjection projection, List<StockAllocation> rules) {
        return erpStock -> rules.stream().flatMap(rule -> ErpStockChanges.wrongSkus(engineDb, projection, rule, erpStock).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Two sources of effects seen as one (e.g. VTEX's journal and the ERP's order rows). */
    @SafeVarargs
    public static Supplier<Map<String, Integer>> merged(Supplier<Map<String, Integer>>... sources) {
        return () -> {
            Map<String, Integer> all = new HashMap<>();
            for (Supplier<Map<String, Integer>> source : sources) {
                source.get().forEach((key, count) -> all.merge(key, count, Integer::sum));
            }
            return all;
        };
    }
}
