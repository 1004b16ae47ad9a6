package dev.vtexbridge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The ops CLI: {@code java -jar vtex-bridge.jar ops ...} (or {@code bin/vtex-bridge ops ...}). It only talks to a
 * running engine's ops API ({@code --url}, token from {@code BRIDGE_OPS_TOKEN}); it never starts Spring.
 * Exit codes: see {@link Exit}.
 */
@Command(name = "ops", mixinStandardHelpOptions = true, version = "vtex-bridge ops",
        description = "Operate a running vtex-bridge engine through its ops API.",
        subcommands = {OpsCli.Failed.class, OpsCli.Replay.class, OpsCli.ReplayJobs.class, OpsCli.Discard.class,
                OpsCli.Orders.class, OpsCli.Offers.class, OpsCli.Connections.class, OpsCli.Dashboard.class,
                OpsCli.Audit.class, OpsCli.Routes.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the engine answered an error", "2:bad usage", "3:the token was refused (401)",
                "4:no such id (404)", "5:refused in its current state (409)", "6:the engine cannot be reached"})
public final class OpsCli implements Callable<Integer> {

    /** Exit codes of the CLI. */
    public static final class Exit {
        public static final int OK = 0;
        public static final int API_ERROR = 1;
        public static final int USAGE = 2;
        public static final int UNAUTHORIZED = 3;
        public static final int NOT_FOUND = 4;
        public static final int CONFLICT = 5;
        public static final int UNREACHABLE = 6;

        private Exit() {
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--url", scope = CommandLine.ScopeType.INHERIT, description = "Base URL of the engine (default: env BRIDGE_OPS_URL or http://localhost:8080).")
    String url;

    final Map<String, String> env;
    PrintWriter out;
    PrintWriter err;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    OpsCli(Map<String, String> env) {
        this.env = env;
    }

    /** Entry point of {@code java -jar vtex-bridge.jar ops ...}: runs and exits with the command's exit code. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command with the given environment and streams; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        OpsCli cli = new OpsCli(env);
        cli.out = out;
        cli.err = err;
        CommandLine line = new CommandLine(cli).setOut(out).setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ApiException api) {
                        err.println("error: " + api.getMessage());
                        return api.exit;
                    }
                    err.println("error: " + e.getMessage());
                    return Exit.API_ERROR;
                });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(out);
        return Exit.USAGE;
    }

    // ---- HTTP -------------------------------------------------------------------------------------------------

    static final class ApiException extends RuntimeException {
        final int exit;
        final JsonNode body;

        ApiException(int exit, String message) {
            this(exit, message, null);
        }

        ApiException(int exit, String message, JsonNode body) {
            super(message);
            this.exit = exit;
            this.body = body;
        }
    }

    String baseUrl() {
        String base = url != null ? url : env.getOrDefault("BRIDGE_OPS_URL", "http://localhost:8080");
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder().GET(), path);
    }

    JsonNode post(String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new ApiException(Exit.API_ERROR, e.getMessage());
        }
        return send(HttpRequest.newBuilder().header("Content-Type", "application/json").POST(publisher), path);
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        String token = env.get("BRIDGE_OPS_TOKEN");
        if (token == null || token.isBlank()) {
            throw new ApiException(Exit.UNAUTHORIZED, "set BRIDGE_OPS_TOKEN to an ops token of the engine");
        }
        URI uri;
        try {
            uri = URI.create(baseUrl() + "/ops/api" + path);
        } catch (IllegalArgumentException e) {
            throw new ApiException(Exit.USAGE, "bad --url: " + e.getMessage());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.uri(uri).timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + token.trim()).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ApiException(Exit.UNREACHABLE, "cannot reach the engine at " + baseUrl() + " (" + e + ")");
        } catch (IOException e) {
            throw new ApiException(Exit.UNREACHABLE, "talking to " + baseUrl() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(Exit.API_ERROR, "interrupted");
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return body;
        }
        String message = body != null && body.hasNonNull("message") ? body.get("message").asText()
                : body != null && body.hasNonNull("error") ? body.get("error").asText()
                : "HTTP " + status + " " + response.body();
        int exit = switch (status) {
            case 401, 403 -> Exit.UNAUTHORIZED;
            case 404 -> Exit.NOT_FOUND;
            case 409 -> Exit.CONFLICT;
            case 400 -> Exit.USAGE;
            default -> Exit.API_ERROR;
        };
        throw new ApiException(exit, status == 401 ? "the engine refused the token (401): " + message : message, body);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String query(Map<String, Object> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> {
            if (value != null && !value.toString().isBlank()) {
                query.append(query.length() == 0 ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*([smhd])");

    /** {@code 2h}, {@code 30m}, {@code 1d}, {@code 45s} (that long ago) or an ISO-8601 instant; null stays null. */
    static String instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher ago = AGO.matcher(text.trim());
        if (ago.matches()) {
            long amount = Long.parseLong(ago.group(1));
            Duration duration = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return Instant.now().minus(duration).toString();
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new ApiException(Exit.USAGE, "not a duration (2h, 30m, 1d) nor an ISO-8601 time: " + text);
        }
    }

    // ---- output -----------------------------------------------------------------------------------------------

    void printJson(JsonNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new ApiException(Exit.API_ERROR, e.getMessage());
        }
    }

    /** A plain-text table of the given columns (all of the first row's fields when none are given). */
    void printTable(JsonNode items, List<String> columns) {
        List<String> names = new ArrayList<>(columns);
        if (names.isEmpty() && items.size() > 0) {
            items.get(0).fieldNames().forEachRemaining(names::add);
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>();
            for (String name : names) {
                row.add(cell(item.path(name)));
            }
            rows.add(row);
        }
        int[] widths = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            widths[i] = names.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(names.stream().map(String::toUpperCase).toList(), widths));
        rows.forEach(row -> out.println(line(row, widths)));
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            text.append(i == 0 ? "" : "  ").append(i == cells.size() - 1 ? cells.get(i)
                    : String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        return text.toString();
    }

    private static String cell(JsonNode value) {
        String text = value.isMissingNode() || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
        text = text.replaceAll("\\s+", " ");
        return text.length() > 70 ? text.substring(0, 67) + "..." : text;
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    /** A command that only groups subcommands: on its own it prints its usage. */
    abstract static class CommandGroup implements Callable<Integer> {
        @ParentCommand
        OpsCli cli;

        @Override
        public Integer call() {
            new CommandLine(this).usage(cli.out);
            return Exit.USAGE;
        }
    }

    static class FailedFilter {
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

    @Command(name = "failed", mixinStandardHelpOptions = true, description = "Failed messages.",
            subcommands = {Failed.ListFailed.class, Failed.Show.class})
    static class Failed extends CommandGroup {

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List failed messages, newest first.")
        static class ListFailed implements Callable<Integer> {
            @ParentCommand
            Failed parent;
            @CommandLine.Mixin
            FailedFilter filter = new FailedFilter();
            @Option(names = "--status", description = "FAILED, REPLAYED or DISCARDED.")
            String status;
            @Option(names = "--page", defaultValue = "0")
            int page;
            @Option(names = "--size", defaultValue = "50")
            int size;
            @Option(names = "--json", description = "Print the API's JSON answer.")
            boolean json;

            @Override
            public Integer call() {
                Map<String, Object> params = filter.params();
                params.put("status", status == null ? null : status.toUpperCase());
                params.put("page", page);
                params.put("size", size);
                JsonNode answer = parent.cli.get("/failed" + query(params));
                if (json) {
                    parent.cli.printJson(answer);
                } else {
                    parent.cli.printTable(answer.path("items"),
                            List.of("id", "status", "routeId", "attempts", "lastFailedAt", "errorMessage"));
                    parent.cli.out.println(answer.path("total").asLong() + " in all (page " + page + ", size " + size + ")");
                }
                return Exit.OK;
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true, description = "One failed message with its history.")
        static class Show implements Callable<Integer> {
            @ParentCommand
            Failed parent;
            @Parameters(paramLabel = "ID")
            long id;

            @Override
            public Integer call() {
                parent.cli.printJson(parent.cli.get("/failed/" + id));
                return Exit.OK;
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Replay failed messages: by id (ops replay 12 13), or every FAILED one a filter selects",
                    "(ops replay --route R --since 2h [--dry-run])."})
    static class Replay implements Callable<Integer> {
        @ParentCommand
        OpsCli cli;
        @Parameters(paramLabel = "ID", arity = "0..*")
        List<Long> ids = new ArrayList<>();
        @CommandLine.Mixin
        FailedFilter filter = new FailedFilter();
        @Option(names = "--dry-run", description = "Only count what the filter selects.")
        boolean dryRun;
        @Option(names = "--limit", defaultValue = "100000", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--rate", description = "Replays per second (default: the engine's bridge.ops.replay.rate-per-second).")
        Integer rate;
        @Option(names = "--poll", defaultValue = "1000", hidden = true)
        long pollMillis;

        @Override
        public Integer call() {
            boolean filtered = filter.params().values().stream().anyMatch(value -> value != null);
            if (ids.isEmpty() == !filtered) {
                throw new ApiException(Exit.USAGE, ids.isEmpty()
                        ? "give ids, or a filter (--route, --since, --until, --error, --connection) for a bulk replay"
                        : "give either ids or a filter, not both");
            }
            if (!ids.isEmpty()) {
                int worst = Exit.OK;
                for (long id : ids) {
                    try {
                        cli.post("/failed/" + id + "/replay", null);
                        cli.out.println(id + " REPLAYED");
                    } catch (ApiException e) {
                        cli.err.println(id + " " + e.getMessage());
                        worst = worst == Exit.OK ? e.exit : worst;
                    }
                }
                return worst;
            }
            Map<String, Object> params = filter.params();
            params.put("limit", limit);
            params.put("dryRun", true);
            long matched = cli.post("/failed/replay" + query(params), null).path("matched").asLong();
            if (dryRun) {
                cli.out.println(matched + " failed message(s) match; dry run, nothing replayed");
                return Exit.OK;
            }
            // A replay job on the engine: resumable, at --rate per second; progress is polled.
            params.remove("dryRun");
            params.put("rate", rate);
            JsonNode job = cli.post("/replay-jobs" + query(params), null);
            long jobId = job.path("id").asLong();
            cli.out.println("replay job " + jobId + ": replaying " + job.path("total").asLong() + " failed message(s)"
                    + (rate == null ? "" : " at " + rate + "/s") + "...");
            cli.out.flush();
            while (!"DONE".equals(job.path("status").asText()) && !"CANCELLED".equals(job.path("status").asText())) {
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ApiException(Exit.API_ERROR, "interrupted; replay job " + jobId + " goes on in the engine");
                }
                job = cli.get("/replay-jobs/" + jobId);
                cli.out.println("  " + job.path("done").asLong() + "/" + job.path("total").asLong() + " done ("
                        + job.path("replayed").asLong() + " replayed, " + job.path("skipped").asLong() + " skipped)");
                cli.out.flush();
            }
            cli.out.println("done: " + job.path("total").asLong() + " matched, " + job.path("replayed").asLong()
                    + " replayed, " + job.path("failedAgain").asLong() + " failed again, " + job.path("skipped").asLong()
                    + " skipped" + (job.path("sendFailed").asLong() > 0 ? ", " + job.path("sendFailed").asLong() + " could not be sent" : "")
                    + ("CANCELLED".equals(job.path("status").asText()) ? " (cancelled)" : ""));
            return Exit.OK;
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true, description = "Discard failed messages, with a reason.")
    static class Discard implements Callable<Integer> {
        @ParentCommand
        OpsCli cli;
        @Parameters(paramLabel = "ID", arity = "1..*")
        List<Long> ids;
        @Option(names = "--reason", required = true, description = "Why (kept in the history and the audit trail).")
        String reason;

        @Override
        public Integer call() {
            int worst = Exit.OK;
            for (long id : ids) {
                try {
                    cli.post("/failed/" + id + "/discard", Map.of("reason", reason));
                    cli.out.println(id + " DISCARDED");
                } catch (ApiException e) {
                    cli.err.println(id + " " + e.getMessage());
                    worst = worst == Exit.OK ? e.exit : worst;
                }
            }
            return worst;
        }
    }

    @Command(name = "orders", mixinStandardHelpOptions = true, description = "Orders.",
            subcommands = {Orders.ListOrders.class, Orders.ShowOrder.class})
    static class Orders extends CommandGroup {

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Orders, newest first.")
        static class ListOrders implements Callable<Integer> {
            @ParentCommand
            Orders parent;
            @Option(names = "--id", description = "Start of a marketplace, seller or ERP order id.")
            String id;
            @Option(names = "--connection", description = "Connection id (ops connections list).")
            String connection;
            @Option(names = "--status", description = "Order state, e.g. READY_FOR_HANDLING.")
            String status;
            @Option(names = "--since", description = "Placed from this long ago (2h, 30m, 1d) or an ISO-8601 time.")
            String since;
            @Option(names = "--until", description = "Placed before this long ago or an ISO-8601 time.")
            String until;
            @Option(names = "--pending", description = "Only orders with a marketplace call not made yet.")
            boolean pending;
            @Option(names = "--page", defaultValue = "0")
            int page;
            @Option(names = "--size", defaultValue = "50")
            int size;
            @Option(names = "--json", description = "Print the API's JSON answer.")
            boolean json;

            @Override
            public Integer call() {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("id", id);
                params.put("connection", connection);
                params.put("status", status == null ? null : status.toUpperCase());
                params.put("since", instant(since));
                params.put("until", instant(until));
                params.put("pending", pending ? "true" : null);
                params.put("page", page);
                params.put("size", size);
                JsonNode answer = parent.cli.get("/orders" + query(params));
                if (json) {
                    parent.cli.printJson(answer);
                } else {
                    parent.cli.printTable(answer.path("items"),
                            List.of("orderId", "connection", "marketplaceOrderId", "erpOrderId", "status", "createdAt"));
                    parent.cli.out.println(answer.path("total").asLong() + " in all (page " + page + ", size " + size + ")");
                }
                return Exit.OK;
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true,
                description = "One order by marketplace, seller or ERP id, with its timeline.")
        static class ShowOrder implements Callable<Integer> {
            @ParentCommand
            Orders parent;
            @Parameters(paramLabel = "ID")
            String id;
            @Option(names = "--connection", description = "The connection whose order it is, for a marketplace id several use.")
            String connection;

            @Override
            public Integer call() {
                parent.cli.printJson(parent.cli.get("/orders/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")
                        + query(Map.of("connection", connection == null ? "" : connection))));
                return Exit.OK;
            }
        }
    }

    @Command(name = "offers", mixinStandardHelpOptions = true, description = "Offers per SKU.", subcommands = Offers.ListOffers.class)
    static class Offers extends CommandGroup {

        @Command(name = "list", mixinStandardHelpOptions = true,
                description = "Offer status per SKU; for a marketplace connection, its listings.")
        static class ListOffers implements Callable<Integer> {
            @ParentCommand
            Offers parent;
            @Option(names = "--status", description = "pending, suggested, bound, held or error; listed, delisted or error"
                    + " for a marketplace connection.")
            String status;
            @Option(names = "--sku", description = "SKU prefix.")
            String sku;
            @Option(names = "--reason", description = "Text the error reason contains.")
            String reason;
            @Option(names = "--connection", description = "Connection id (ops connections list).")
            String connection;
            @Option(names = "--page", defaultValue = "0")
            int page;
            @Option(names = "--size", defaultValue = "50")
            int size;
            @Option(names = "--json", description = "Print the API's JSON answer.")
            boolean json;

            @Override
            public Integer call() {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("status", status);
                params.put("sku", sku);
                params.put("reason", reason);
                params.put("connection", connection);
                params.put("page", page);
                params.put("size", size);
                JsonNode answer = parent.cli.get("/offers" + query(params));
                if (json) {
                    parent.cli.printJson(answer);
                } else {
                    parent.cli.printTable(answer.path("items"), List.of());
                }
                return Exit.OK;
            }
        }
    }

    @Command(name = "routes", mixinStandardHelpOptions = true, description = "Camel routes.", subcommands = Routes.Reload.class)
    static class Routes extends CommandGroup {

        @Command(name = "reload", mixinStandardHelpOptions = true,
                description = "Check every route file, then swap the running routes; with any file broken, keep them.")
        static class Reload implements Callable<Integer> {
            @ParentCommand
            Routes parent;
            @Option(names = "--json", description = "Print the API's JSON answer.")
            boolean json;

            @Override
            public Integer call() {
                JsonNode answer;
                try {
                    answer = parent.cli.post("/routes/reload", null);
                } catch (ApiException e) {
                    if (e.body != null && e.body.has("files")) {
                        for (JsonNode file : e.body.get("files")) {
                            if (!file.path("ok").asBoolean(true)) {
                                parent.cli.err.println(file.path("file").asText() + ": " + file.path("error").asText());
                            }
                        }
                    }
                    throw e;
                }
                if (json) {
                    parent.cli.printJson(answer);
                } else {
                    parent.cli.out.println("reloaded: " + answer.path("files").size() + " file(s), "
                            + answer.path("started").size() + " route(s) running");
                }
                return Exit.OK;
            }
        }
    }

    @Command(name = "replay-jobs", mixinStandardHelpOptions = true, description = "Bulk replay jobs.",
            subcommands = {ReplayJobs.ListJobs.class, ReplayJobs.ShowJob.class, ReplayJobs.CancelJob.class})
    static class ReplayJobs extends CommandGroup {

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Replay jobs, newest first.")
        static class ListJobs implements Callable<Integer> {
            @ParentCommand
            ReplayJobs parent;
            @Option(names = "--connection", description = "Only jobs filtered on that connection or holding its messages.")
            String connection;
            @Option(names = "--page", defaultValue = "0")
            int page;
            @Option(names = "--size", defaultValue = "20")
            int size;
            @Option(names = "--json", description = "Print the API's JSON answer.")
            boolean json;

            @Override
            public Integer call() {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("connection", connection);
                params.put("page", page);
                params.put("size", size);
                JsonNode answer = parent.cli.get("/replay-jobs" + query(params));
                if (json) {
                    parent.cli.printJson(answer);
                } else {
                    parent.cli.printTable(answer, List.of("id", "status", "createdAt", "actor", "total", "replayed",
                            "failedAgain", "skipped", "filter"));
                }
                return Exit.OK;
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true, description = "One replay job's progress.")
        static class ShowJob implements Callable<Integer> {
            @ParentCommand
            ReplayJobs parent;
            @Parameters(paramLabel = "ID")
            long id;

            @Override
            public Integer call() {
                parent.cli.printJson(parent.cli.get("/replay-jobs/" + id));
                return Exit.OK;
            }
        }

        @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Stop a running replay job.")
        static class CancelJob implements Callable<Integer> {
            @ParentCommand
            ReplayJobs parent;
            @Parameters(paramLabel = "ID")
            long id;

            @Override
            public Integer call() {
                JsonNode job = parent.cli.post("/replay-jobs/" + id + "/cancel", null);
                parent.cli.out.println("replay job " + id + " " + job.path("status").asText());
                return Exit.OK;
            }
        }
    }

    @Command(name = "connections", mixinStandardHelpOptions = true, description = "Connections (marketplaces).",
            subcommands = Connections.ListConnections.class)
    static class Connections extends CommandGroup {

        @Command(name = "list", mixinStandardHelpOptions = true,
                description = "Each connection: role, enabled, VTEX account, open orders, failed messages, last VTEX calls.")
        static class ListConnections implements Callable<Integer> {
            @ParentCommand
            Connections parent;
            @Option(names = "--json", description = "Print the API's JSON answer.")
            boolean json;

            @Override
            public Integer call() {
                JsonNode answer = parent.cli.get("/connections");
                if (json) {
                    parent.cli.printJson(answer);
                    return Exit.OK;
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                for (JsonNode connection : answer.path("items")) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", connection.path("id").asText());
                    row.put("role", connection.path("role").asText());
                    row.put("enabled", connection.path("enabled").asBoolean());
                    row.put("vtexAccount", connection.path("vtexAccount").asText(""));
                    row.put("endpointPath", connection.path("endpointPath").asText());
                    row.put("openOrders", connection.path("openOrders").asLong());
                    row.put("failedMessages", connection.path("failedMessages").asLong());
                    row.put("lastSuccessfulCall", call(connection.path("lastSuccessfulCall")));
                    row.put("lastFailedCall", call(connection.path("lastFailedCall")));
                    rows.add(row);
                }
                parent.cli.printTable(JSON.valueToTree(rows), List.of());
                return Exit.OK;
            }

            /** {@code 401 notificator 2026-05-01T10:00:00Z}; no answer shows as {@code no-answer}. */
            private static String call(JsonNode call) {
                if (call.isMissingNode() || call.isNull()) {
                    return "";
                }
                return (call.path("status").isNull() ? "no-answer" : call.path("status").asText()) + " "
                        + call.path("family").asText() + " " + call.path("at").asText();
            }
        }
    }

    @Command(name = "dashboard", aliases = "status", mixinStandardHelpOptions = true,
            description = "The engine at a glance (the ops dashboard), or one connection's figures with --connection.")
    static class Dashboard implements Callable<Integer> {
        @ParentCommand
        OpsCli cli;
        @Option(names = "--connection", description = "Connection id (ops connections list).")
        String connection;
        @Option(names = "--json", description = "Print the API's JSON answer.")
        boolean json;

        @Override
        public Integer call() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("connection", connection);
            JsonNode answer = cli.get("/dashboard" + query(params));
            if (json) {
                cli.printJson(answer);
                return Exit.OK;
            }
            JsonNode health = answer.path("health");
            JsonNode failed = answer.path("failedMessages");
            cli.out.println((answer.path("connection").isNull() ? "engine" : "connection " + answer.path("connection").asText())
                    + " at " + answer.path("generatedAt").asText());
            cli.out.println("health: db " + health.path("db").asText() + ", broker " + health.path("broker").asText()
                    + ", vtex " + health.path("vtex").asText());
            cli.out.println("failed messages: " + failed.path("FAILED").asText("?") + " FAILED, "
                    + failed.path("REPLAYED").asText("?") + " REPLAYED, " + failed.path("DISCARDED").asText("?") + " DISCARDED");
            cli.out.println("open orders: " + answer.path("openOrders").asText("?") + "; VTEX 429s in the last hour: "
                    + answer.path("vtex429LastHour").asLong());
            JsonNode oldest = answer.path("oldestUnsentStockChange");
            cli.out.println("oldest unsent stock change: " + (oldest.isObject()
                    ? oldest.path("sku").asText() + ", " + oldest.path("ageSeconds").asLong() + " s" : "none"));
            cli.printTable(answer.path("flows"), List.of("flow", "in", "out", "failed", "lastSuccessAt", "p95Millis"));
            return Exit.OK;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit trail, newest first.")
    static class Audit implements Callable<Integer> {
        @ParentCommand
        OpsCli cli;
        @Option(names = "--action")
        String action;
        @Option(names = "--actor")
        String actor;
        @Option(names = "--target", description = "Text the target contains.")
        String target;
        @Option(names = "--since", description = "From this long ago (2h, 30m, 1d) or an ISO-8601 time.")
        String since;
        @Option(names = "--connection", description = "Only entries about that connection's messages, orders and replays.")
        String connection;
        @Option(names = "--page", defaultValue = "0")
        int page;
        @Option(names = "--size", defaultValue = "50")
        int size;
        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("action", action);
            params.put("actor", actor);
            params.put("target", target);
            params.put("since", instant(since));
            params.put("connection", connection);
            params.put("page", page);
            params.put("size", size);
            JsonNode answer = cli.get("/audit" + query(params));
            if (json) {
                cli.printJson(answer);
            } else {
                cli.printTable(answer.path("items"), List.of("happenedAt", "actor", "action", "target", "result", "detail"));
            }
            return Exit.OK;
        }
    }
}
