package dev.arca.cli.commands;

import dev.arca.cli.Arca;
import dev.arca.cli.Context;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** Base of the commands that work on a repository. */
abstract class RepoCommand implements Callable<Integer> {
    @ParentCommand
    Arca root;

    Context ctx() {
        return root.context();
    }

    Repository open() throws IOException {
        return root.locator().open();
    }

    /** Resolves {@code latest}, an id or an id prefix. */
    static FileId snapshot(Repository repo, String spec) throws IOException {
        return repo.resolveSnapshot(spec, s -> true);
    }

    static Snapshot load(Repository repo, FileId id) throws IOException {
        return repo.loadSnapshot(id);
    }
}
