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

/** {@code ops offers list}: the offer status per SKU, or a marketplace connection's listings. */
@Command(name = "offers", mixinStandardHelpOptions = true, description = "Offers per SKU.",
        subcommands = OffersCommands.ListOffers.class)
class OffersCommands extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Offer status per SKU; for a marketplace connection, its listings.")
    static class ListOffers implements Callable<Integer> {
        @ParentCommand
        OffersCommands parent;
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
            JsonNode answer = parent.cli.api().get("/offers" + query(params));
            if (json) {
                printJson(parent.cli.out, answer);
            } else {
                printTable(parent.cli.out, answer.path("items"), List.of());
            }
            return Exit.OK;
        }
    }
}
