package dev.vtexbridge.vtex;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsTheBurstThenPacesAtTheRate() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.take(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(bucket.take(0)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void refillsWhileIdleUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, 0);
        bucket.take(0);
        bucket.take(0);
        assertThat(bucket.take(SECOND)).isZero();
        assertThat(bucket.take(SECOND)).isZero();
        assertThat(bucket.take(SECOND)).as("capacity is the burst, not ten seconds of credit").isPositive();
    }

    @Test
    void aTokenGivenBackIsAvailableAgain() {
        TokenBucket bucket = new TokenBucket(1, 1, 0);
        bucket.take(0);
        assertThat(bucket.take(0)).isEqualTo(Duration.ofSeconds(1));
        bucket.giveBack();
        assertThat(bucket.take(0)).isEqualTo(Duration.ofSeconds(1));
    }
}
