package dev.vtexbridge.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checker against synthetic effects: a ledger of three stock changes, a placement delivered twice and a poison
 * record, and the effects they should leave. As they are, every invariant holds; one change lost, one order doubled
 * or one SKU's stock wrong each make the check fail, naming the offender.
 */
class LedgerCheckerTest {

    private final Ledger ledger = new Ledger("unit");
    private final Map<String, Integer> effects = new HashMap<>();
    private final Map<String, Integer> late = new HashMap<>();
    private final List<LedgerChecker.StoredFailure> failures = new ArrayList<>();
    /** What the engine holds of each SKU; the ERP holds {@link #erp}. */
    private final Map<String, Integer> engineStock = new HashMap<>();
    private final Map<String, Integer> erp = Map.of("SKU-A", 7, "SKU-B", 3);
    private final LedgerChecker checker = new LedgerChecker(ledger, () -> effects, () -> late, () -> failures,
            expected -> expected.entrySet().stream().filter(e -> !e.getValue().equals(engineStock.get(e.getKey())))
                    .map(Map.Entry::getKey).collect(Collectors.toSet()),
            erp);
    private Ledger.Event poison;

    LedgerCheckerTest() {
        String a = LedgerChecker.notified("inventory", "default", "SKU-A");
        String b = LedgerChecker.notified("inventory", "default", "SKU-B");
        ledger.ack(ledger.feed("erp-stock-change", "SKU-A#1", List.of(a)), "committed");
        ledger.ack(ledger.feed("erp-stock-change", "SKU-A#2", List.of(a)), "committed");
        ledger.ack(ledger.feed("erp-stock-change", "SKU-B#1", List.of(b)), "committed");
        String order = LedgerChecker.erpOrder("MKP-1");
        ledger.ack(ledger.feed("placement", "MKP-1", List.of(order)), "200");
        ledger.ack(ledger.feed("placement", "MKP-1", List.of(order)), "200");
        poison = ledger.feed("kafka-record", "not-json", List.of());
        ledger.ack(poison, "acked by the broker");
        ledger.refuse(ledger.feed("webhook", "bad-body", List.of(LedgerChecker.notified("inventory", "default", "SKU-C"))),
                "400");
        effects.put(a, 1);
        effects.put(b, 1);
        effects.put(order, 1);
        failures.add(new LedgerChecker.StoredFailure(9, "stock-erp-to-vtex", "FAILED", null, "Unrecognized token",
                "not json " + poison.id() + "\n{}"));
        engineStock.putAll(erp);
    }

    @Test
    void holdsWhenEveryAcknowledgedEventIsAppliedOnceOrStored() {
        LedgerChecker.Verdict verdict = checker.check();

        System.out.println(verdict.describe());
        assertThat(verdict.holds()).as(verdict.describe()).isTrue();
        assertThat(verdict.fed()).isEqualTo(7);
        assertThat(verdict.acked()).isEqualTo(6);
        assertThat(verdict.applied()).isEqualTo(5);
        assertThat(verdict.inFailedStore()).isEqualTo(1);
        assertThat(verdict.table()).contains("| unit").contains("fed").contains("lost").contains("duplicates");
        assertThat(checker.awaitHolds(Duration.ofSeconds(1), Duration.ZERO).holds()).isTrue();
    }

    @Test
    void aLostChangeFailsTheCheckNamingIt() {
        effects.remove(LedgerChecker.notified("inventory", "default", "SKU-B"));

        LedgerChecker.Verdict verdict = checker.check();

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.lost()).singleElement().asString().startsWith("unit-0003").contains("SKU-B#1");
        assertThatThrownBy(() -> checker.awaitHolds(Duration.ofMillis(300), Duration.ZERO))
                .isInstanceOf(AssertionError.class).hasMessageContaining("lost").hasMessageContaining("unit-0003");
    }

    @Test
    void aPoisonRecordMissingFromTheFailedStoreIsLost() {
        failures.clear();

        assertThat(checker.check().lost()).singleElement().asString().startsWith(poison.id());
    }

    @Test
    void aDoubledOrderFailsTheCheckNamingItsEvents() {
        effects.put(LedgerChecker.erpOrder("MKP-1"), 2);

        LedgerChecker.Verdict verdict = checker.check();

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.duplicates()).containsOnlyKeys("erp-order:MKP-1");
        assertThat(verdict.duplicates().get("erp-order:MKP-1")).containsExactly("unit-0004", "unit-0005");
        assertThat(verdict.describe()).contains("erp-order:MKP-1 seen 2 times");
    }

    @Test
    void aWrongFinalStockFailsTheCheckNamingTheSku() {
        engineStock.put("SKU-B", 4);

        LedgerChecker.Verdict verdict = checker.check();

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.wrongStock()).containsExactly("SKU-B");
        assertThat(verdict.lost()).isEmpty();
        assertThat(verdict.duplicates()).isEmpty();
    }

    @Test
    void anEffectOfWhatTheEngineRefusedFailsTheCheck() {
        effects.put(LedgerChecker.notified("inventory", "default", "SKU-C"), 1);

        assertThat(checker.check().refusedYetApplied()).singleElement().asString().contains("bad-body");
    }

    @Test
    void aLateAnswerIsReportedButIsNoEffect() {
        late.put(LedgerChecker.notified("inventory", "default", "SKU-A"), 1);

        LedgerChecker.Verdict verdict = checker.check();

        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.late()).isOne();
    }
}
