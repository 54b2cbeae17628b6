package dev.arca.cli.commands;

import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.engine.RecordView;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", description = {
    "List what a snapshot holds. Without PATH, everything; with PATH, that entry and, for a directory, "
            + "what is in it (everything below it with --recursive). With --json, one JSON object per line.",
    "",
    "Examples:",
    "  arca ls latest",
    "  arca ls -l 4f2a9c1e /home/ana/documents",
    "  arca ls latest /records/test/users/     (records of a database snapshot: key, generation, TTL, bins)"})
public final class LsCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, prefix, or 'latest'.")
    String snapshot;

    @Parameters(index = "1", paramLabel = "PATH", arity = "0..1", description = "Path inside the snapshot.")
    String path;

    @Option(names = {"-l", "--long"}, description = "Show mode, owner, size and time.")
    boolean longFormat;

    @Option(names = "--recursive", description = "With PATH, list everything below it.")
    boolean recursive;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            FileId id = snapshot(repo, snapshot);
            Snapshot s = repo.loadSnapshot(id);
            SnapshotWalker walker = new SnapshotWalker(repo);
            if (root.json()) {
                ctx().out().println(Output.json(Output.snapshotJson(id, s).put("message_type", "snapshot")));
            }
            if (path == null) {
                walker.walk(s.treeId(), "", (p, n) -> {
                    print(p, n);
                    return true;
                });
                return 0;
            }
            String norm = SnapshotWalker.normalize(path);
            RecordView view = RecordView.of(s.engine);
            if (view != null && RecordView.isViewPath(norm)) {
                if (!view.list(repo, s, norm, this::print)) {
                    throw new CommandFailure(ExitCodes.ERROR, norm + ": no such record or directory in snapshot "
                            + id.shortHex());
                }
                return 0;
            }
            Node n = walker.resolve(s.treeId(), norm);
            if (n == null) {
                throw new CommandFailure(ExitCodes.ERROR, norm + ": no such file or directory in snapshot " + id.shortHex());
            }
            if (!norm.isEmpty()) {
                print(norm, n);
            }
            if (n.isDir()) {
                walker.walk(n.subtree(), norm, (p, c) -> {
                    print(p, c);
                    return recursive;
                });
            }
            return 0;
        }
    }

    /** An entry of an engine's record view (see {@link RecordView}). */
    private void print(RecordView.Entry e) {
        if (root.json()) {
            ctx().out().println(Output.json(e.json().deepCopy().put("message_type", "node")));
        } else if (e.directory()) {
            ctx().out().println(e.path());
        } else {
            ctx().out().println(e.path() + "  " + e.summary());
        }
    }

    private void print(String p, Node n) throws IOException {
        if (root.json()) {
            ctx().out().println(Output.json(Output.nodeJson(p, n).put("message_type", "node")));
        } else if (longFormat) {
            String shown = n.linkTarget() != null ? p + " -> " + n.linkTarget() : p;
            ctx().out().printf("%s %8s %8s %12d %s %s%n", Output.mode(n), n.user().isEmpty() ? n.uid() : n.user(),
                    n.group().isEmpty() ? n.gid() : n.group(), n.size(), Output.localTime(n.mtime()), shown);
        } else {
            ctx().out().println(p);
        }
    }
}
