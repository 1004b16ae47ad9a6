package dev.vtexbridge.cli;

import static dev.vtexbridge.cli.OpsArguments.instant;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/** The options selecting failed messages, a mixin of {@code ops failed list} and {@code ops replay}. */
class FailedFilter {
    @Option(names = "--route", description = "Route id.")
    String route;
    @Option(names = "--since", description = "From this long ago (2h, 30m, 1d) or an ISO-8601 time.")
    String since;
    @Option(names = "--until", description = "Until this long ago or an ISO-8601 time.")
    String until;
    @Option(names = "--error", description = "Text the error contains.")
    String error;
    @Option(names = "--connection", description = "Connection id (GET /ops/api/connections).")
    String connection;

    Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("connection", connection);
        params.put("route", route);
        params.put("since", instant(since));
        params.put("until", instant(until));
        params.put("error", error);
        return params;
    }
}
