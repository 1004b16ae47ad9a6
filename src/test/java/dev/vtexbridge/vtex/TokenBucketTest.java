package dev.vtexbridge.vtex;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsTheBurstThenPacesAtTheRate() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertThat(bucket.take(0, 1)).isZero();
        assertThat(bucket.take(0, 1)).isZero();
        assertThat(bucket.take(0, 1)).isZero();
        assertThat(bucket.take(0, 1)).isEqualTo(Duration.ofMillis(100));
        assertThat(bucket.take(0, 1)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void refillsWhileIdleUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, 0);
        bucket.take(0, 1);
        bucket.take(0, 1);
        assertThat(bucket.take(SECOND, 1)).isZero();
        assertThat(bucket.take(SECOND, 1)).isZero();
        assertThat(bucket.take(SECOND, 1)).as("capacity is the burst, not ten seconds of credit").isPositive();
    }

    @Test
    void aTokenGivenBackIsAvailableAgain() {
        TokenBucket bucket = new TokenBucket(1, 1, 0);
        bucket.take(0, 1);
        assertThat(bucket.take(0, 1)).isEqualTo(Duration.ofSeconds(1));
        bucket.giveBack();
        assertThat(bucket.take(0, 1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void instancesSharingTheBudgetEachTakeTheirPartOfTheRateAndTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 4, 0);
        assertThat(bucket.take(0, 2)).isZero();
        assertThat(bucket.take(0, 2)).isZero();
        assertThat(bucket.take(0, 2)).as("half the burst, then half the rate: 5 per second")
                .isEqualTo(Duration.ofMillis(200));

        assertThat(bucket.take(SECOND, 1)).as("alone again: the whole rate").isZero();
    }
}
