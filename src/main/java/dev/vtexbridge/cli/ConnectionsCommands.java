package dev.vtexbridge.cli;

import static dev.vtexbridge.cli.OpsOutput.printJson;
import static dev.vtexbridge.cli.OpsOutput.printTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cli.OpsCli.Exit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ops connections list}: each connection (marketplace) with its figures and last VTEX calls. */
@Command(name = "connections", mixinStandardHelpOptions = true, description = "Connections (marketplaces).",
        subcommands = ConnectionsCommands.ListConnections.class)
class ConnectionsCommands extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Each connection: role, enabled, VTEX account, open orders, failed messages, last VTEX calls.")
    static class ListConnections implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommands parent;
        @Option(names = "--json", description = "Print the API's JSON answer.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode answer = parent.cli.api().get("/connections");
            if (json) {
                printJson(parent.cli.out, answer);
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
            printTable(parent.cli.out, OpsApi.JSON.valueToTree(rows), List.of());
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
