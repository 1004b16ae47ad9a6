package dev.vtexbridge.web;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The platform-http engine with two thread pools instead of Spring's one small shared pool: routes of VTEX-facing
 * entry points (the seller endpoints, which VTEX needs answered within 2.5 s) run on threads no other caller can
 * take; every other platform-http route (ERP webhook …) runs on the other pool. When a pool and its queue are full,
 * the request runs on the server's own request thread rather than being refused.
 * <p>
 * The pools are not Spring beans on purpose: an {@link Executor} bean would replace Spring Boot's application task
 * executor.
 */
public class PlatformHttpPools implements PlatformHttpEngine, DisposableBean {

    private final int port;
    private final RequestBodyLimiter entryPoints;
    private final ThreadPoolTaskExecutor vtexPool;
    private final ThreadPoolTaskExecutor otherPool;

    public PlatformHttpPools(int port, RequestBodyLimiter entryPoints, HttpProperties http) {
        this.port = port;
        this.entryPoints = entryPoints;
        this.vtexPool = pool("http-vtex-", http.vtexThreads(), http.queueCapacity());
        this.otherPool = pool("http-other-", http.otherThreads(), http.queueCapacity());
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new SpringBootPlatformHttpConsumer(endpoint, processor, poolOf(endpoint.getPath()));
    }

    /** The pool a route served at {@code path} runs on. */
    Executor poolOf(String path) {
        return entryPoints.entryPointOf(path).vtexFacing() ? vtexPool : otherPool;
    }

    @Override
    public int getServerPort() {
        return port;
    }

    @Override
    public void destroy() {
        vtexPool.shutdown();
        otherPool.shutdown();
    }

    private static ThreadPoolTaskExecutor pool(String prefix, int threads, int queueCapacity) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix(prefix);
        pool.setCorePoolSize(threads);
        pool.setMaxPoolSize(threads);
        pool.setQueueCapacity(queueCapacity);
        pool.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy());
        pool.initialize();
        return pool;
    }
}
