package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.Context;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.aerospike.AerospikeBackup;
import dev.arca.engine.aerospike.AerospikeRestore;
import dev.arca.engine.aerospike.AsbFormatException;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.FileBackup;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "aerospike", description = {
    "Back up and restore Aerospike asbackup files (.asb text, format 3.0 and 3.1).",
    "",
    "Files are stored verbatim and chunked on record starts, so a later backup in which few records changed "
            + "adds little more than those records. Browse a snapshot's records with "
            + "'arca ls SNAP /records/<namespace>/<set>/' and 'arca dump SNAP /records/<namespace>/<set>/<record>'.",
    "",
    "Examples:",
    "  arca aerospike backup --directory /backups/test",
    "  asbackup -n test --output-file - | arca aerospike backup --input-file -",
    "  arca aerospike restore latest --directory /restore/test",
    "  arca aerospike restore latest --output-file - | asrestore --input-file -"},
        subcommands = {AerospikeCommand.Backup.class, AerospikeCommand.Restore.class})
public final class AerospikeCommand extends EngineGroup {
    static FileId snapshot(Repository repo, String spec) throws IOException {
        return repo.resolveSnapshot(spec, s -> AerospikeBackup.ENGINE.equals(s.engine));
    }

    @Command(name = "backup", description = {
        "Back up the .asb files of a directory, or one file or standard input, into a new snapshot.",
        "Every line is validated first; a malformed line is an error naming file, line and column, and then "
                + "no snapshot is made. Compressed or encrypted files (asbackup --compress/--encrypt) are refused.",
        "",
        "Examples:",
        "  arca aerospike backup --directory /backups/test --namespace test",
        "  arca aerospike backup --input-file test.asb --tag nightly",
        "  asbackup -n test --output-file - | arca aerospike backup --input-file -"})
    static final class Backup implements Callable<Integer> {
        @ParentCommand
        AerospikeCommand parent;

        static final class Source {
            @Option(names = "--directory", paramLabel = "DIR",
                    description = "A directory written by 'asbackup --directory': every *.asb file in it "
                            + "(e.g. --directory /backups/test).")
            Path directory;

            @Option(names = "--input-file", paramLabel = "FILE",
                    description = "One .asb file, or '-' for standard input (stored as <namespace>.asb), "
                            + "e.g. --input-file test.asb.")
            String inputFile;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--namespace", paramLabel = "NS",
                description = "The namespace the files must hold; checked and recorded (e.g. --namespace test).")
        String namespace;

        @Mixin
        OriginOptions origin = new OriginOptions();


        @Override
        public Integer call() throws Exception {
            Context ctx = parent.ctx();
            BackupStats stats = new BackupStats();
            Instant start = Instant.now();
            try (Repository repo = parent.open()) {
                AerospikeBackup b = new AerospikeBackup(repo, new AerospikeBackup.Options(
                        origin.host(), Hosts.user(ctx), origin.tags(), namespace), stats);
                Progress progress = Progress.start(ctx, parent.root.showProgress(), "aerospike backup",
                        stats.bytesProcessed::get, () -> 0, () -> "");
                FileBackup.Result result;
                try {
                    if (source.directory != null) {
                        result = b.directory(ctx.path(source.directory.toString()));
                    } else if (source.inputFile.equals("-")) {
                        result = b.stream(ctx.in(), null, "<stdin>");
                    } else {
                        Path f = ctx.path(source.inputFile);
                        try (InputStream in = Files.newInputStream(f)) {
                            result = b.stream(in, f.getFileName().toString(), f.toString());
                        }
                    }
                } catch (AsbFormatException e) {
                    throw new CommandFailure(ExitCodes.ERROR, e.getMessage() + "; no snapshot was made");
                } finally {
                    Progress.stop(progress);
                }
                report(ctx, result, Duration.between(start, Instant.now()));
                return ExitCodes.OK;
            }
        }

        private void report(Context ctx, FileBackup.Result r, Duration took) {
            Snapshot s = r.snapshot();
            ObjectNode m = s.engineMetadata;
            if (parent.root.json()) {
                ObjectNode o = Output.object();
                o.put("message_type", "summary");
                o.put("snapshot_id", r.snapshotId().hex());
                o.put("engine", s.engine);
                o.set("engine_metadata", m);
                o.put("data_blobs", s.summary.dataBlobs);
                o.put("data_added", s.summary.dataAdded);
                o.put("data_added_packed", s.summary.dataAddedPacked);
                o.put("total_files_processed", s.summary.totalFilesProcessed);
                o.put("total_bytes_processed", s.summary.totalBytesProcessed);
                o.put("total_duration", took.toNanos() / 1e9);
                ctx.out().println(Output.json(o));
                return;
            }
            if (parent.root.quiet()) {
                return;
            }
            ctx.out().printf("Namespace %s, format %s: %d files, %d records, %d secondary indexes, %d UDFs%n",
                    m.path("namespace").asText(), m.path("format_version").asText(), m.path("files").size(),
                    m.path("records").asLong(), m.path("secondary_indexes").asLong(), m.path("udfs").asLong());
            ctx.out().printf("Added to the repository: %s (%s stored)%n", Output.bytes(s.summary.dataAdded),
                    Output.bytes(s.summary.dataAddedPacked));
            ctx.out().printf("processed %s in %s%n", Output.bytes(s.summary.totalBytesProcessed),
                    BackupCommand.formatDuration(took));
            ctx.out().println("snapshot " + r.snapshotId().shortHex() + " saved");
        }
    }

    @Command(name = "restore", description = {
        "Give an Aerospike snapshot back: the same .asb files byte for byte into a directory, or one stream "
                + "for 'asrestore --input-file -'.",
        "With --namespace, --set-list or --bin-list (like asrestore's options) the stream holds only what "
                + "they select; --merge adds later snapshots as asrestore's default write policy would: expired "
                + "records are dropped, for the same digest the higher generation wins, bins only in the older "
                + "record are kept.",
        "",
        "Examples:",
        "  arca aerospike restore latest --directory /restore/test",
        "  arca aerospike restore 4f2a9c1e --output-file - | asrestore --input-file -",
        "  arca aerospike restore latest --output-file out.asb --namespace test,staging --set-list users",
        "  arca aerospike restore 4f2a9c1e --merge 9b1d0e77 c3e0aa12 --output-file merged.asb"})
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        AerospikeCommand parent;

        @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, prefix, or 'latest' "
                + "(the latest Aerospike snapshot).")
        String snapshot;

        static final class Target {
            @Option(names = "--directory", paramLabel = "DIR",
                    description = "Write the snapshot's files, same names, into DIR (created; existing files are "
                            + "not overwritten), e.g. --directory /restore/test.")
            Path directory;

            @Option(names = "--output-file", paramLabel = "FILE",
                    description = "Write one .asb stream to FILE, or '-' for standard output, e.g. --output-file -.")
            String outputFile;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--namespace", paramLabel = "OLD,NEW",
                description = "Rename namespace OLD to NEW in the stream (e.g. --namespace test,staging); OLD must "
                        + "be the snapshot's namespace.")
        String namespace;

        @Option(names = "--set-list", paramLabel = "SETS", split = ",",
                description = "Only records of these sets (and indexes on them), e.g. --set-list users,events.")
        List<String> sets;

        @Option(names = "--bin-list", paramLabel = "BINS", split = ",",
                description = "Only these bins; records left without bins are dropped, e.g. --bin-list name,age.")
        List<String> bins;

        @Option(names = "--merge", paramLabel = "SNAPSHOT", arity = "1..*",
                description = "Later snapshots to merge after SNAPSHOT, in order (e.g. --merge 9b1d0e77 c3e0aa12). "
                        + "The merge holds every record in memory: for namespaces of up to some tens of MB "
                        + "in the default heap (more with ARCA_JAVA_OPTS=-Xmx…).")
        List<String> merge;

        @Override
        public Integer call() throws Exception {
            Context ctx = parent.ctx();
            AerospikeRestore.Filter filter = filter();
            if (target.directory != null && (filter != AerospikeRestore.Filter.NONE || merge != null)) {
                throw new CommandFailure(ExitCodes.USAGE, "--namespace, --set-list, --bin-list and --merge write one "
                        + "stream: use them with --output-file");
            }
            try (Repository repo = parent.open()) {
                FileId id = snapshot(repo, snapshot);
                Snapshot s = repo.loadSnapshot(id);
                if (!AerospikeBackup.ENGINE.equals(s.engine)) {
                    throw new CommandFailure(ExitCodes.ERROR, "snapshot " + id.shortHex() + " is of engine '" + s.engine
                            + "', not aerospike");
                }
                AerospikeRestore restore = new AerospikeRestore(repo);
                AerospikeRestore.Result r;
                if (target.directory != null) {
                    Path dir = ctx.path(target.directory.toString());
                    r = restore.toDirectory(s, dir);
                    if (!parent.root.quiet() && !parent.root.json()) {
                        ctx.err().printf("restored %d files (%s, %d records) of snapshot %s into %s%n",
                                restore.files(s).size(), Output.bytes(r.bytes), r.records, id.shortHex(), dir);
                    }
                } else {
                    boolean stdout = target.outputFile.equals("-");
                    Path file = stdout ? null : ctx.path(target.outputFile);
                    Path tmp = stdout ? null : file.resolveSibling("." + file.getFileName() + ".arca-tmp");
                    if (tmp != null) {
                        Files.deleteIfExists(tmp);   // left by an interrupted restore
                    }
                    try (OutputStream out = new BufferedOutputStream(stdout ? ctx.out()
                            : Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW), 1 << 16)) {
                        if (merge != null) {
                            List<Snapshot> all = new ArrayList<>(List.of(s));
                            for (String m : merge) {
                                all.add(repo.loadSnapshot(snapshot(repo, m)));
                            }
                            r = restore.merge(all, filter, out, Instant.now());
                        } else {
                            r = restore.toStream(s, filter, out);
                        }
                        out.flush();
                    } catch (IOException | RuntimeException e) {
                        if (tmp != null) {
                            Files.deleteIfExists(tmp);
                        }
                        throw e;
                    }
                    if (tmp != null) {
                        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    if (!parent.root.quiet() && !parent.root.json()) {
                        ctx.err().printf("wrote %d records, %d secondary indexes, %d UDFs; left out %d by filters, "
                                + "%d expired, %d older generations%n", r.records, r.secondaryIndexes, r.udfs,
                                r.filteredOut, r.expired, r.olderGeneration);
                    }
                }
                if (parent.root.json()) {
                    ObjectNode o = Output.object();
                    o.put("message_type", "summary");
                    o.put("snapshot_id", id.hex());
                    o.put("records", r.records);
                    o.put("secondary_indexes", r.secondaryIndexes);
                    o.put("udfs", r.udfs);
                    o.put("filtered_out", r.filteredOut);
                    o.put("expired", r.expired);
                    o.put("older_generation", r.olderGeneration);
                    (target.outputFile != null && target.outputFile.equals("-") ? ctx.err() : ctx.out())
                            .println(Output.json(o));
                }
                return ExitCodes.OK;
            } catch (AsbFormatException e) {
                throw new CommandFailure(ExitCodes.INTEGRITY, e.getMessage());
            }
        }

        private AerospikeRestore.Filter filter() {
            String from = null;
            String to = null;
            if (namespace != null) {
                String[] p = namespace.split(",", -1);
                if (p.length != 2 || p[0].isEmpty() || p[1].isEmpty()) {
                    throw new CommandFailure(ExitCodes.USAGE, "--namespace takes OLD,NEW (e.g. test,staging), got '"
                            + namespace + "'");
                }
                from = p[0];
                to = p[1];
            }
            Set<String> s = sets == null ? null : new LinkedHashSet<>(sets);
            Set<String> b = bins == null ? null : new LinkedHashSet<>(bins);
            if (from == null && s == null && b == null) {
                return AerospikeRestore.Filter.NONE;
            }
            return new AerospikeRestore.Filter(from, to, s, b);
        }
    }
}
