package dev.vtexbridge.cli;

import static dev.vtexbridge.cli.OpsArguments.instant;
import static dev.vtexbridge.cli.OpsArguments.query;
import static dev.vtexbridge.cli.OpsOutput.printJson;
import static dev.vtexbridge.cli.OpsOutput.printTable;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cli.OpsCli.Exit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops orders list|show}: the orders and their timelines. */
@Command(name = "orders", mixinStandardHelpOptions = true, description = "Orders.",
        subcommands = {OrdersCommands.ListOrders.class, OrdersCommands.ShowOrder.class})
class OrdersCommands extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Orders, newest first.")
    static class ListOrders implements Callable<Integer> {
        @ParentCommand
        OrdersCommands parent;
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
            JsonNode answer = parent.cli.api().get("/orders" + query(params));
            if (json) {
                printJson(parent.cli.out, answer);
            } else {
                printTable(parent.cli.out, answer.path("items"),
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
        OrdersCommands parent;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--connection", description = "The connection whose order it is, for a marketplace id several use.")
        String connection;

        @Override
        public Integer call() {
            printJson(parent.cli.out, parent.cli.api().get("/orders/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                    .replace("+", "%20") + query(Map.of("connection", connection == null ? "" : connection))));
            return Exit.OK;
        }
    }
}
