package dev.vtexbridge.errors;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.vtexbridge.connections.ConnectionProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Keeps secrets out of everything the engine stores or shows: headers whose name says they carry a credential,
 * and the configured secret values themselves wherever they appear (body, header, error text).
 */
@Component
public class SecretRedactor {

    public static final String REDACTED = "[redacted]";

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(token|secret|password|passwd|authorization|cookie|api-?key|appkey|credential).*");

    /** Properties whose values are secrets; new credentials belong in this list. */
    private static final List<String> SECRET_PROPERTIES = List.of(
            "bridge.vtex.app-token", "bridge.vtex.app-key", "bridge.seller.app-token",
            "bridge.ops.token", "bridge.erp.webhook-token", "spring.datasource.password",
            "bridge.erp.datasource.password");

    /** Maps of properties whose every value is a secret: the named ops tokens ({@code bridge.ops.tokens.<name>}). */
    private static final List<String> SECRET_MAPS = List.of("bridge.ops.tokens");

    private volatile List<String> secretValues;

    public SecretRedactor(Environment env) {
        Binder binder = Binder.get(env);
        this.secretValues = Stream.of(
                        SECRET_PROPERTIES.stream().map(env::getProperty),
                        SECRET_MAPS.stream().flatMap(map -> binder.bind(map, Bindable.mapOf(String.class, String.class))
                                .orElseGet(Map::of).values().stream()),
                        // every connection's credentials: bridge.connections.<id>.vtex.app-token, .endpoint.app-token ...
                        ConnectionProperties.bind(binder).values().stream().flatMap(c -> c.secrets().stream()))
                .flatMap(values -> values)
                .filter(Objects::nonNull)
                .map(String::trim)
                .filter(v -> v.length() >= 4) // a one-letter "secret" would redact half the text
                .distinct()
                // the longest first, so a secret that contains another is redacted whole
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** A secret that is in no property: one generated at start-up because none was configured. */
    public synchronized void add(String secret) {
        if (secret != null && secret.trim().length() >= 4 && !secretValues.contains(secret.trim())) {
            secretValues = Stream.concat(secretValues.stream(), Stream.of(secret.trim()))
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    public boolean isSecretName(String headerName) {
        return SECRET_NAME.matcher(headerName).matches();
    }

    public String redact(String text) {
        if (!StringUtils.hasLength(text)) {
            return text;
        }
        String result = text;
        for (String secret : secretValues) {
            result = result.replace(secret, REDACTED);
        }
        return result;
    }
}
