package dev.vtexbridge.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.vtexbridge.cli.OpsApi.ApiException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The ops CLI: {@code java -jar vtex-bridge.jar ops ...} (or {@code bin/vtex-bridge ops ...}). It only talks to a
 * running engine's ops API ({@code --url}, token from {@code BRIDGE_OPS_TOKEN}); it never starts Spring.
 * Exit codes: see {@link Exit}. Each command group is a class of its own in this package; the calls to the API are
 * {@link OpsApi}'s, the output {@link OpsOutput}'s. {@code ops generate-completion} (picocli's, hidden from the
 * command list, told of in the footer) prints a bash/zsh completion script for a command named {@code ops}.
 */
@Command(name = "ops", mixinStandardHelpOptions = true, version = "vtex-bridge ops",
        description = "Operate a running vtex-bridge engine through its ops API.",
        subcommands = {FailedCommands.class, ReplayCommand.class, ReplayJobsCommands.class, DiscardCommand.class,
                OrdersCommands.class, OffersCommands.class, ConnectionsCommands.class, DashboardCommand.class,
                AuditCommand.class, RoutesCommands.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the engine answered an error", "2:bad usage", "3:the token was refused (401)",
                "4:no such id (404)", "5:refused in its current state (409)", "6:the engine cannot be reached"},
        footer = {"%nShell completion (bash, zsh), for a command named ops:",
                "  ops() { bin/vtex-bridge ops \"$@\"; }; source <(ops generate-completion)"})
public final class OpsCli implements Callable<Integer> {

    /** Exit codes of the CLI. */
    public static final class Exit {
        public static final int OK = 0;
        public static final int API_ERROR = 1;
        public static final int USAGE = 2;
        public static final int UNAUTHORIZED = 3;
        public static final int NOT_FOUND = 4;
        public static final int CONFLICT = 5;
        public static final int UNREACHABLE = 6;

        private Exit() {
        }
    }

    @Option(names = "--url", scope = CommandLine.ScopeType.INHERIT, description = "Base URL of the engine (default: env BRIDGE_OPS_URL or http://localhost:8080).")
    String url;

    @Spec
    CommandSpec spec;
    final Map<String, String> env;
    PrintWriter out;
    PrintWriter err;
    private OpsApi api;

    OpsCli(Map<String, String> env) {
        this.env = env;
    }

    /** Entry point of {@code java -jar vtex-bridge.jar ops ...}: runs and exits with the command's exit code. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command with the given environment and streams; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        OpsCli cli = new OpsCli(env);
        cli.out = out;
        cli.err = err;
        CommandLine line = new CommandLine(cli).setOut(out).setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ApiException api) {
                        err.println("error: " + api.getMessage());
                        return api.exit;
                    }
                    err.println("error: " + e.getMessage());
                    return Exit.API_ERROR;
                });
        // picocli lists its generate-completion among the commands; the footer tells of it instead.
        line.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return Exit.USAGE;
    }

    /** The engine's ops API at {@code --url}: made on first use, once the command line is parsed. */
    OpsApi api() {
        if (api == null) {
            api = new OpsApi(url, env);
        }
        return api;
    }
}
