package dev.vtexbridge.metrics;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlowWindowTest {

    private static final Instant T0 = Instant.parse("2026-11-22T03:00:10Z");

    @Test
    void countsTheLastHourAndForgetsWhatIsOlder() {
        FlowWindow window = new FlowWindow();
        window.received(T0);
        window.finished(T0, FlowOutcome.COMPLETED, 3);
        window.received(T0.plus(Duration.ofMinutes(30)));
        window.finished(T0.plus(Duration.ofMinutes(30)), FlowOutcome.FAILED, 3);
        window.received(T0.plus(Duration.ofMinutes(31)));
        window.finished(T0.plus(Duration.ofMinutes(31)), FlowOutcome.DEFERRED, 3);

        FlowWindow.Summary half = window.lastHour(T0.plus(Duration.ofMinutes(59)));
        assertThat(half.in()).isEqualTo(3);
        assertThat(half.out()).isEqualTo(1);
        assertThat(half.failed()).isEqualTo(1);
        assertThat(half.lastSuccessAt()).isEqualTo(T0);

        FlowWindow.Summary later = window.lastHour(T0.plus(Duration.ofMinutes(61)));
        assertThat(later.in()).as("the first minute has left the hour").isEqualTo(2);
        assertThat(later.out()).isZero();
        assertThat(later.failed()).isEqualTo(1);
        assertThat(later.lastSuccessAt()).as("the last success is kept however old").isEqualTo(T0);

        FlowWindow.Summary empty = window.lastHour(T0.plus(Duration.ofHours(3)));
        assertThat(empty.in()).isZero();
        assertThat(empty.p95Millis()).as("no latency without exchanges").isNull();

        // a slot reused an hour later starts from zero
        window.received(T0.plus(Duration.ofHours(3)));
        assertThat(window.lastHour(T0.plus(Duration.ofHours(3))).in()).isEqualTo(1);
    }

    @Test
    void p95IsInterpolatedInsideItsBucketLikeHistogramQuantile() {
        FlowWindow window = new FlowWindow();
        for (int i = 0; i < 90; i++) {
            window.finished(T0, FlowOutcome.COMPLETED, 4);    // bucket (2, 5]
        }
        for (int i = 0; i < 10; i++) {
            window.finished(T0, FlowOutcome.COMPLETED, 20);   // bucket (10, 25]
        }
        // rank 95 is the 5th of the 10 values in (10, 25]: 10 + 15 * 5/10
        assertThat(window.lastHour(T0).p95Millis()).isEqualTo(17.5);

        FlowWindow slow = new FlowWindow();
        slow.finished(T0, FlowOutcome.FAILED, 120_000);
        assertThat(slow.lastHour(T0).p95Millis()).as("beyond the last bound: the last bound").isEqualTo(60_000.0);
    }
}
