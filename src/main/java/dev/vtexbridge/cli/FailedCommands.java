package dev.vtexbridge.cli;

import static dev.vtexbridge.cli.OpsArguments.query;
import static dev.vtexbridge.cli.OpsOutput.printJson;
import static dev.vtexbridge.cli.OpsOutput.printTable;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cli.OpsCli.Exit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops failed list|show}: the failed messages. */
@Command(name = "failed", mixinStandardHelpOptions = true, description = "Failed messages.",
        subcommands = {FailedCommands.ListFailed.class, FailedCommands.Show.class})
class FailedCommands extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List failed messages, newest first.")
    static class ListFailed implements Callable<Integer> {
        @ParentCommand
        FailedCommands parent;
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
            JsonNode answer = parent.cli.api().get("/failed" + query(params));
            if (json) {
                printJson(parent.cli.out, answer);
            } else {
                printTable(parent.cli.out, answer.path("items"),
                        List.of("id", "status", "routeId", "attempts", "lastFailedAt", "errorMessage"));
                parent.cli.out.println(answer.path("total").asLong() + " in all (page " + page + ", size " + size + ")");
            }
            return Exit.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One failed message with its history.")
    static class Show implements Callable<Integer> {
        @ParentCommand
        FailedCommands parent;
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            printJson(parent.cli.out, parent.cli.api().get("/failed/" + id));
            return Exit.OK;
        }
    }
}
