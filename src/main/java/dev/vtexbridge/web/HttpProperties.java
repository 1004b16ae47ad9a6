package dev.vtexbridge.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of the HTTP server ({@code bridge.http.*}): the body size of every path without a limit of its own, how long
 * a request body may take to arrive, how many bytes of request bodies are held in memory at once, and the threads
 * that run the platform-http routes.
 */
@ConfigurationProperties("bridge.http")
public record HttpProperties(long maxBodyBytes, Duration bodyReadTimeout, long maxBufferedBytes, int vtexThreads,
                             int otherThreads, int queueCapacity) {
}
