package dev.arca.engine.files;

import dev.arca.engine.Version;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * Backs up one stream (stdin, or the standard output of a command) as a single file in the
 * snapshot's root, like {@code restic backup --stdin} and {@code --stdin-from-command}.
 *
 * <p>For a command, arca starts it, stores what it prints, and makes a snapshot only if it exits
 * with status 0; otherwise nothing refers to the stored data and the backup fails.
 */
public final class StreamBackup {
    /** What to back up. */
    public record Options(String fileName, String host, String user, List<String> tags, FileId parent) {
    }

    /** The command failed; no snapshot was made. */
    public static final class CommandFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        public CommandFailedException(String message) {
            super(message);
        }
    }

    private final Repository repo;
    private final Options options;
    private final BackupStats stats;

    public StreamBackup(Repository repo, Options options, BackupStats stats) {
        String problem = Node.nameProblem(options.fileName());
        if (problem != null) {
            throw new IllegalArgumentException("stdin file name: " + problem);
        }
        this.repo = repo;
        this.options = options;
        this.stats = stats;
    }

    /** Stores everything {@code in} yields. */
    public FileBackup.Result fromStream(InputStream in) throws IOException {
        return run(in, null, null);
    }

    /** Runs {@code command} and stores its standard output; its standard error passes through. */
    public FileBackup.Result fromCommand(List<String> command) throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("--stdin-from-command needs a command after --");
        }
        Process proc = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (InputStream out = proc.getInputStream()) {
            return run(out, proc, String.join(" ", command));
        } finally {
            proc.destroy();
        }
    }

    private FileBackup.Result run(InputStream in, Process proc, String commandText) throws IOException {
        try (BackupSession session = new BackupSession(repo, stats)) {
            BackupSession.Content content = session.saveContent(in);
            List<BlobId> ids;
            try {
                ids = content.ids().join();
            } catch (RuntimeException e) {
                throw BackupSession.unwrap(e);
            }
            if (proc != null) {
                int status;
                try {
                    status = proc.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for the command");
                }
                if (status != 0) {
                    throw new CommandFailedException("command '" + commandText + "' exited with status " + status
                            + "; no snapshot was made");
                }
            }
            stats.filesProcessed.incrementAndGet();
            stats.filesNew.incrementAndGet();
            Instant now = Instant.now();
            Node file = session.withContent(Node.builder(options.fileName(), NodeKind.FILE)
                    .mode(0644).mtime(now).ctime(now).size(content.length()), ids);
            BlobId root = session.saveTree(Tree.of(List.of(file)));
            Snapshot s = new Snapshot();
            s.time = now.toString();
            s.tree = root.hex();
            s.paths = List.of("/" + options.fileName());
            s.host = options.host();
            s.user = options.user();
            s.tags = options.tags();
            s.engine = "files";
            s.parent = options.parent() == null ? null : options.parent().hex();
            s.programVersion = Version.PROGRAM;
            FileId id = session.commit(s);
            return new FileBackup.Result(id, s, List.of());
        }
    }
}
