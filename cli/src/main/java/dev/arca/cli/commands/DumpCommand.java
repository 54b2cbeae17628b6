package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.engine.RecordView;
import dev.arca.engine.files.ArchiveWriter;
import dev.arca.engine.files.ContentStream;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dump", description = {
    "Write a file from a snapshot to standard output, or a directory as a tar or zip archive "
            + "(modes, times, owners and symlinks kept).",
    "",
    "Examples:",
    "  arca dump latest /etc/hosts",
    "  arca dump --archive zip 4f2a9c1e /home/ana/documents > documents.zip",
    "  arca dump latest / | tar -x -C /tmp/restore",
    "  arca dump latest /records/test/users/user-42     (a database record as JSON)"})
public final class DumpCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT")
    String snapshot;

    @Parameters(index = "1", paramLabel = "PATH", description = "File or directory inside the snapshot ('/' for all).")
    String path;

    @Option(names = "--archive", paramLabel = "FORMAT", description = "Archive format for directories: tar (default) or zip.")
    ArchiveWriter.Format archive;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            FileId id = snapshot(repo, snapshot);
            Snapshot s = repo.loadSnapshot(id);
            String norm = SnapshotWalker.normalize(path);
            RecordView view = RecordView.of(s.engine);
            if (view != null && RecordView.isViewPath(norm)) {
                ObjectNode record = view.record(repo, s, norm);
                if (record == null) {
                    throw new CommandFailure(ExitCodes.ERROR, norm + ": no such record in snapshot " + id.shortHex());
                }
                ctx().out().println(Output.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record));
                return 0;
            }
            Node n = new SnapshotWalker(repo).resolve(s.treeId(), norm);
            if (n == null) {
                throw new CommandFailure(ExitCodes.ERROR, norm + ": no such file or directory in snapshot " + id.shortHex());
            }
            OutputStream out = new BufferedOutputStream(ctx().out(), 1 << 16);
            if (n.isFile() && archive == null) {
                try (InputStream in = new ContentStream(repo, n)) {
                    in.transferTo(out);
                }
            } else if (n.isDir() || archive != null) {
                new ArchiveWriter(repo).write(archive == null ? ArchiveWriter.Format.TAR : archive, n, norm, out);
            } else {
                throw new CommandFailure(ExitCodes.ERROR, norm + " is a " + n.kind().name().toLowerCase()
                        + "; only files and directories can be dumped");
            }
            out.flush();
            return 0;
        }
    }
}
