package dev.vtexbridge.config;

import java.io.InputStream;
import java.net.URL;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceLoader;
import org.apache.camel.spring.boot.FatJarPackageScanResourceResolver;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.AntPathMatcher;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets {@code java -jar vtex-bridge.jar} load the flows bundled in the jar ({@code classpath:bundled/routes/**}) when
 * there is no routes folder on disk.
 * <p>
 * Workaround for CAMEL-23370 (Camel 4.12 up to at least 4.18.0): inside a Spring Boot jar, a classpath pattern with
 * a {@code **} folder wildcard finds the files in subfolders, but the resource it hands out drops the subfolder
 * ({@code bundled/routes/_shared/x.camel.yaml} is read as {@code bundled/routes/x.camel.yaml}), so start-up fails with
 * "No input stream for". The resolver below scans the same jar entries as Camel Spring Boot's own one and loads each
 * match by its full classpath name. Folders on disk (development, tests, mounted routes) are scanned as before.
 * Fixed upstream by apache/camel#22788 (merged 2026-04-27, after 4.18.0; tested by camel-spring-boot#1773). Remove
 * this class once the build is on a Camel release that has the fix (the 4.18 patch releases cannot be resolved from
 * this project's repository yet).
 */
@Configuration(proxyBeanMethods = false)
public class BundledRoutesConfiguration {

    /** Installed after the Camel context is built and before the routes are collected (on context refresh). */
    @Bean
    SmartInitializingSingleton nestedJarRouteScanning(CamelContext camelContext) {
        return () -> {
            NestedJarResourceResolver resolver = new NestedJarResourceResolver();
            resolver.setCamelContext(camelContext);
            camelContext.getCamelContextExtension().addContextPlugin(PackageScanResourceResolver.class, resolver);
        };
    }

    /** Camel Spring Boot's jar-aware resolver, with the application's jar entries loaded by their full name. */
    static class NestedJarResourceResolver extends FatJarPackageScanResourceResolver {

        @Override
        protected void loadImplementationsInJar(URL url, String packageName, String subPattern, InputStream stream,
                                                String urlPath, Set<Resource> resources, Predicate<String> filter) {
            ResourceLoader loader = PluginHelper.getResourceLoader(getCamelContext());
            // The engine's own entries only (BOOT-INF/classes): inflating every library jar costs seconds at start-up.
            for (String name : doLoadImplementationsInJar(packageName, stream, urlPath, false, true, filter)) {
                if (AntPathMatcher.INSTANCE.match(subPattern, name.substring(packageName.length()))) {
                    resources.add(loader.resolveResource("classpath:" + name));
                }
            }
        }
    }
}
