package dev.vtexbridge.cli;

import static dev.vtexbridge.cli.OpsOutput.printJson;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cli.OpsApi.ApiException;
import dev.vtexbridge.cli.OpsCli.Exit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ops routes reload}: the safe reload of the Camel route files. */
@Command(name = "routes", mixinStandardHelpOptions = true, description = "Camel routes.",
        subcommands = RoutesCommands.Reload.class)
class RoutesCommands extends CommandGroup {

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = "Check every route file, then swap the running routes; with any file broken, keep them.")
    static class Reload implements Callable<Integer> {
        @ParentCommand
        RoutesCommands parent;
        @Option(names = "--json", description = "Print the API's JSON answer.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode answer;
            try {
                answer = parent.cli.api().post("/routes/reload", null);
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
                printJson(parent.cli.out, answer);
            } else {
                parent.cli.out.println("reloaded: " + answer.path("files").size() + " file(s), "
                        + answer.path("started").size() + " route(s) running");
            }
            return Exit.OK;
        }
    }
}
