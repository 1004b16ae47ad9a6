package dev.vtexbridge.cli;

import static dev.vtexbridge.cli.OpsArguments.instant;
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

/** {@code ops audit}: the audit trail, newest first. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit trail, newest first.")
class AuditCommand implements Callable<Integer> {
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
        JsonNode answer = cli.api().get("/audit" + query(params));
        if (json) {
            printJson(cli.out, answer);
        } else {
            printTable(cli.out, answer.path("items"), List.of("happenedAt", "actor", "action", "target", "result", "detail"));
        }
        return Exit.OK;
    }
}
