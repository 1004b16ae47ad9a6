package dev.vtexbridge.cli;

import java.util.concurrent.Callable;

import dev.vtexbridge.cli.OpsCli.Exit;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;

/** A command that only groups subcommands: on its own it prints its usage. */
abstract class CommandGroup implements Callable<Integer> {
    @ParentCommand
    OpsCli cli;

    @Override
    public Integer call() {
        new CommandLine(this).usage(cli.out);
        return Exit.USAGE;
    }
}
