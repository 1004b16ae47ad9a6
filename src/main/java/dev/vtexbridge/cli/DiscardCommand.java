package dev.vtexbridge.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.vtexbridge.cli.OpsApi.ApiException;
import dev.vtexbridge.cli.OpsCli.Exit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops discard}: failed messages discarded by id, with a reason. */
@Command(name = "discard", mixinStandardHelpOptions = true, description = "Discard failed messages, with a reason.")
class DiscardCommand implements Callable<Integer> {
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
                cli.api().post("/failed/" + id + "/discard", Map.of("reason", reason));
                cli.out.println(id + " DISCARDED");
            } catch (ApiException e) {
                cli.err.println(id + " " + e.getMessage());
                worst = worst == Exit.OK ? e.exit : worst;
            }
        }
        return worst;
    }
}
