package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.Excluder;
import dev.arca.engine.files.FileBackup;
import dev.arca.engine.files.StreamBackup;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = {
    "Back up files and directories, standard input, or the output of a command into a new snapshot.",
    "",
    "Files whose size, modification time, change time and inode are the same as in the parent snapshot "
            + "(the latest one of this host with the same paths) are not read again. Files that cannot be read "
            + "are listed on stderr and left out; the snapshot is still made and the exit code is 3.",
    "",
    "Examples:",
    "  arca backup ~/documents /etc --tag daily --exclude '*.tmp'",
    "  mysqldump shop | arca backup --stdin --stdin-filename shop.sql",
    "  arca backup --stdin-from-command --stdin-filename shop.sql -- mysqldump shop"})
public final class BackupCommand extends RepoCommand {
    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files and directories to back up; with --stdin-from-command, the command and its arguments.")
    List<String> paths = new ArrayList<>();

    @Mixin
    OriginOptions origin = new OriginOptions();


    @Option(names = {"-e", "--exclude"}, paramLabel = "PATTERN",
            description = "Leave out matching files and directories (repeatable). A pattern without '/' matches "
                    + "a name anywhere ('*.log', 'node_modules'); one with '/' matches the absolute path "
                    + "('/home/*/.cache', '**/target').")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--parent", paramLabel = "SNAPSHOT",
            description = "Compare with this snapshot instead of the latest one of this host and paths.")
    String parent;

    @Option(names = "--force", description = "Read every file again, even if unchanged since the parent snapshot.")
    boolean force;

    @Option(names = "--stdin", description = "Back up standard input as one file.")
    boolean stdin;

    @Option(names = "--stdin-filename", paramLabel = "NAME", defaultValue = "stdin",
            description = "File name for --stdin and --stdin-from-command (default: ${DEFAULT-VALUE}).")
    String stdinFilename;

    @Option(names = "--stdin-from-command",
            description = "Run the command given after '--' and back up what it prints; if it exits with a "
                    + "non-zero status, no snapshot is made.")
    boolean fromCommand;

    @Mixin
    CompressionOption compression = new CompressionOption();

    @Override
    public Integer call() throws Exception {
        int level = compression.level();
        // Bulk crypto ahead: let the JIT compile AES-GCM while the key is derived.
        dev.arca.format.crypto.CryptoWarmup.start();
        if (stdin && fromCommand) {
            throw new IllegalArgumentException("--stdin and --stdin-from-command exclude each other");
        }
        if (stdin && !paths.isEmpty()) {
            throw new IllegalArgumentException("--stdin takes no paths");
        }
        if (!stdin && !fromCommand && paths.isEmpty()) {
            throw new IllegalArgumentException("give at least one path to back up (or --stdin)");
        }
        String hostName = origin.host();
        String user = Hosts.user(ctx());
        BackupStats stats = new BackupStats();
        Instant start = Instant.now();
        try (Repository repo = open()) {
            repo.setCompressionLevel(level);
            FileBackup.Result result;
            AtomicLong total = new AtomicLong();
            Progress progress;
            if (stdin || fromCommand) {
                List<String> snapPaths = List.of("/" + stdinFilename);
                FileId parentId = findParent(repo, hostName, snapPaths);
                StreamBackup b = new StreamBackup(repo, new StreamBackup.Options(stdinFilename, hostName, user, origin.tags(),
                        parentId), stats);
                progress = Progress.start(ctx(), root.showProgress(), "backup", stats.bytesProcessed::get, () -> 0,
                        () -> "");
                try {
                    result = stdin ? b.fromStream(ctx().in()) : b.fromCommand(paths);
                } catch (StreamBackup.CommandFailedException e) {
                    Progress.stop(progress);
                    throw new CommandFailure(ExitCodes.ERROR, e.getMessage());
                } finally {
                    Progress.stop(progress);
                }
            } else {
                List<Path> abs = new ArrayList<>();
                for (String p : paths) {
                    abs.add(ctx().path(p));
                }
                List<String> snapPaths = abs.stream().map(Path::toString).sorted().toList();
                FileId parentId = parent != null ? snapshot(repo, parent) : findParent(repo, hostName, snapPaths);
                Excluder excluder = new Excluder(excludes);
                if (root.showProgress()) {
                    startScanner(abs, excluder, total);
                }
                FileBackup b = new FileBackup(repo, new FileBackup.Options(abs, hostName, user, origin.tags(), excluder,
                        parentId, force), stats, msg -> ctx().err().println("error: " + msg));
                progress = Progress.start(ctx(), root.showProgress(), "backup", stats.bytesProcessed::get, total::get,
                        () -> stats.files() + " files");
                try {
                    result = b.run();
                } finally {
                    Progress.stop(progress);
                }
            }
            report(result, Duration.between(start, Instant.now()));
            return result.errors().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }

    /** The latest snapshot of this host and paths; a damaged snapshot is warned about, not fatal. */
    private FileId findParent(Repository repo, String host, List<String> paths) throws IOException {
        List<SnapshotRef> all = repo.snapshots(e -> ctx().err().println("warning: " + e.getMessage()
                + " (not considered as the parent; unchanged files may be read again)"));
        for (int i = all.size() - 1; i >= 0; i--) {
            Snapshot s = all.get(i).snapshot();
            if (host.equals(s.host) && "files".equals(s.engine) && s.paths.stream().sorted().toList().equals(paths)) {
                return all.get(i).id();
            }
        }
        return null;
    }

    /** Sums the sizes of what the backup will read, for the ETA; runs beside the backup. */
    private static void startScanner(List<Path> roots, Excluder excluder, AtomicLong total) {
        Thread t = new Thread(() -> {
            for (Path r : roots) {
                try {
                    Files.walkFileTree(r, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                            return dir.equals(r) || !excluder.excludes(dir, dir.getFileName().toString())
                                    ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                            if (a.isRegularFile() && !excluder.excludes(f, f.getFileName().toString())) {
                                total.addAndGet(a.size());
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path f, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
                } catch (IOException e) {
                    // the backup itself reports unreadable paths
                }
            }
        }, "arca-scan");
        t.setDaemon(true);
        t.start();
    }

    private void report(FileBackup.Result r, Duration took) {
        Snapshot.Summary s = r.snapshot().summary;
        if (root.json()) {
            ObjectNode o = Output.object();
            o.put("message_type", "summary");
            o.put("snapshot_id", r.snapshotId().hex());
            o.put("files_new", s.filesNew);
            o.put("files_changed", s.filesChanged);
            o.put("files_unmodified", s.filesUnmodified);
            o.put("dirs_new", s.dirsNew);
            o.put("dirs_changed", s.dirsChanged);
            o.put("dirs_unmodified", s.dirsUnmodified);
            o.put("data_blobs", s.dataBlobs);
            o.put("tree_blobs", s.treeBlobs);
            o.put("data_added", s.dataAdded);
            o.put("data_added_packed", s.dataAddedPacked);
            o.put("total_files_processed", s.totalFilesProcessed);
            o.put("total_bytes_processed", s.totalBytesProcessed);
            o.put("total_duration", took.toNanos() / 1e9);
            o.put("errors", r.errors().size());
            ctx().out().println(Output.json(o));
            return;
        }
        if (root.quiet()) {
            return;
        }
        var out = ctx().out();
        out.printf("Files:  %8d new, %8d changed, %8d unmodified%n", s.filesNew, s.filesChanged, s.filesUnmodified);
        out.printf("Dirs:   %8d new, %8d changed, %8d unmodified%n", s.dirsNew, s.dirsChanged, s.dirsUnmodified);
        out.printf("Added to the repository: %s (%s stored)%n", Output.bytes(s.dataAdded), Output.bytes(s.dataAddedPacked));
        out.printf("processed %d files, %s in %s%n", s.totalFilesProcessed, Output.bytes(s.totalBytesProcessed),
                formatDuration(took));
        if (!r.errors().isEmpty()) {
            out.printf("%d files or directories could not be read (listed above)%n", r.errors().size());
        }
        out.println("snapshot " + r.snapshotId().shortHex() + " saved");
    }

    static String formatDuration(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
