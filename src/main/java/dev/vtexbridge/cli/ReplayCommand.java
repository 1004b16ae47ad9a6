package dev.vtexbridge.cli;

import static dev.vtexbridge.cli.OpsArguments.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cli.OpsApi.ApiException;
import dev.vtexbridge.cli.OpsCli.Exit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops replay}: failed messages replayed by id, or a replay job for those a filter selects. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay failed messages: by id (ops replay 12 13), or every FAILED one a filter selects",
                "(ops replay --route R --since 2h [--dry-run])."})
class ReplayCommand implements Callable<Integer> {
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
                    cli.api().post("/failed/" + id + "/replay", null);
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
        long matched = cli.api().post("/failed/replay" + query(params), null).path("matched").asLong();
        if (dryRun) {
            cli.out.println(matched + " failed message(s) match; dry run, nothing replayed");
            return Exit.OK;
        }
        // A replay job on the engine: resumable, at --rate per second; progress is polled.
        params.remove("dryRun");
        params.put("rate", rate);
        JsonNode job = cli.api().post("/replay-jobs" + query(params), null);
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
            job = cli.api().get("/replay-jobs/" + jobId);
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
