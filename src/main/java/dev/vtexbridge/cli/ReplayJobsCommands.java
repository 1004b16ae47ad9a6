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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops replay-jobs list|show|cancel}: the bulk replay jobs {@code ops replay} starts. */
@Command(name = "replay-jobs", mixinStandardHelpOptions = true, description = "Bulk replay jobs.",
        subcommands = {ReplayJobsCommands.ListJobs.class, ReplayJobsCommands.ShowJob.class,
                ReplayJobsCommands.CancelJob.class})
class ReplayJobsCommands extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Replay jobs, newest first.")
    static class ListJobs implements Callable<Integer> {
        @ParentCommand
        ReplayJobsCommands parent;
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
            JsonNode answer = parent.cli.api().get("/replay-jobs" + query(params));
            if (json) {
                printJson(parent.cli.out, answer);
            } else {
                printTable(parent.cli.out, answer, List.of("id", "status", "createdAt", "actor", "total", "replayed",
                        "failedAgain", "skipped", "filter"));
            }
            return Exit.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One replay job's progress.")
    static class ShowJob implements Callable<Integer> {
        @ParentCommand
        ReplayJobsCommands parent;
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            printJson(parent.cli.out, parent.cli.api().get("/replay-jobs/" + id));
            return Exit.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Stop a running replay job.")
    static class CancelJob implements Callable<Integer> {
        @ParentCommand
        ReplayJobsCommands parent;
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            JsonNode job = parent.cli.api().post("/replay-jobs/" + id + "/cancel", null);
            parent.cli.out.println("replay job " + id + " " + job.path("status").asText());
            return Exit.OK;
        }
    }
}
