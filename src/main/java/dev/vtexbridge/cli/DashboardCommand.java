package dev.vtexbridge.cli;

import static dev.vtexbridge.cli.OpsArguments.query;
import static dev.vtexbridge.cli.OpsOutput.printJson;
import static dev.vtexbridge.cli.OpsOutput.printTable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cli.OpsCli.Exit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ops dashboard} (or {@code ops status}): the ops dashboard's figures, engine-wide or for one connection. */
@Command(name = "dashboard", aliases = "status", mixinStandardHelpOptions = true,
        description = "The engine at a glance (the ops dashboard), or one connection's figures with --connection.")
class DashboardCommand implements Callable<Integer> {
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
        JsonNode answer = cli.api().get("/dashboard" + query(params));
        if (json) {
            printJson(cli.out, answer);
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
        printTable(cli.out, answer.path("flows"), List.of("flow", "in", "out", "failed", "lastSuccessAt", "p95Millis"));
        return Exit.OK;
    }
}
