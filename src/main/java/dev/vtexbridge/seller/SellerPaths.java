package dev.vtexbridge.seller;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vtexbridge.connections.Connection;

/**
 * The paths of the seller endpoints and the connection each one names: {@code {base}/pvt/…} is connection
 * {@code default}, {@code {base}/<id>/pvt/…} is connection {@code <id>}, which the one set of seller routes serves as
 * {@code {base}/pvt/…}.
 *
 * <p>A path is read as sent (undecoded), as Spring MVC reads it to pick a route. Only plain segments count: a path
 * whose leading segments are encoded or carry {@code ;parameters}, or which holds a dot segment, is no seller path at
 * all, so the connection read here is always the one the route matching sees.
 */
final class SellerPaths {

    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.\\.?(/|$)");

    private final String defaultPrefix;
    private final Pattern named;

    SellerPaths(String basePath) {
        this.defaultPrefix = basePath + "/pvt";
        this.named = Pattern.compile(Pattern.quote(basePath) + "/([a-z0-9-]{1,32})/pvt(/.*)?", Pattern.DOTALL);
    }

    /** A call's connection, and the prefix of its path ({@code sentPrefix}) the routes serve at {@code routedPrefix}. */
    record Target(String connectionId, String sentPrefix, String routedPrefix) {

        /** A path (or the end of a URL) starting with the sent prefix, as the routes see it. */
        String routed(String path) {
            return path != null && path.startsWith(sentPrefix) ? routedPrefix + path.substring(sentPrefix.length()) : path;
        }
    }

    /** The target of {@code path} (within the servlet context), or empty when it is no seller endpoint path. */
    Optional<Target> resolve(String path) {
        if (DOT_SEGMENT.matcher(path).find()) {
            return Optional.empty();
        }
        if (path.equals(defaultPrefix) || path.startsWith(defaultPrefix + "/")) {
            return Optional.of(new Target(Connection.DEFAULT, defaultPrefix, defaultPrefix));
        }
        Matcher matcher = named.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String id = matcher.group(1);
        return Optional.of(new Target(id, path.substring(0, path.length() - rest(matcher).length()), defaultPrefix));
    }

    private static String rest(Matcher matcher) {
        return matcher.group(2) == null ? "" : matcher.group(2);
    }
}
