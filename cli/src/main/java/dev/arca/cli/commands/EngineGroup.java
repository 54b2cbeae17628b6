package dev.arca.cli.commands;

import dev.arca.cli.Arca;
import dev.arca.cli.Context;
import dev.arca.format.repo.Repository;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * An engine's command group ({@code arca rocksdb}, {@code arca doris}): given without a
 * subcommand it is a usage error naming them; its subcommands reach the global options and the
 * repository through {@link Sub}.
 */
abstract class EngineGroup implements Runnable {
    @ParentCommand
    Arca root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        String subs = String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: " + subs
                + "; see 'arca " + spec.name() + " --help'");
    }

    Context ctx() {
        return root.context();
    }

    Repository open() throws IOException {
        return root.locator().open();
    }

    /** Base of a group's subcommands: the global options and the repository. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        EngineGroup group;

        Arca root() {
            return group.root;
        }

        Context ctx() {
            return group.ctx();
        }

        Repository open() throws IOException {
            return group.open();
        }
    }
}
