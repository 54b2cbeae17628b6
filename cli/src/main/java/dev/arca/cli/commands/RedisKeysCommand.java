package dev.arca.cli.commands;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.arca.cli.Output;
import dev.arca.engine.redis.Glob;
import dev.arca.engine.redis.KeyNames;
import dev.arca.engine.redis.RedisRecordView;
import dev.arca.engine.redis.RedisRestore;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", description = {
    "List the keys of a Redis snapshot: database, type, TTL and stored size, read from the snapshot's key index.",
    "With --json, one JSON array of objects with db, key, type, encoding, expire (ISO time, null when none), "
            + "size and path. Keys that are not valid UTF-8 are shown %XX-escaped (and as key_base64 in JSON).",
    "",
    "Examples:",
    "  arca redis keys latest",
    "  arca redis keys latest --match 'user:*' --db 0",
    "  arca redis keys 4f2a9c1e --json | jq '.[] | select(.type == \"hash\") | .key'"})
public final class RedisKeysCommand extends RedisCommand.Sub {
    @Parameters(index = "0", paramLabel = "SNAPSHOT",
            description = "Snapshot id, prefix, or 'latest' (the latest Redis snapshot).")
    String snapshot;

    @Option(names = "--match", paramLabel = "PATTERN",
            description = "Only keys matching this Redis glob (*, ?, [a-z], \\x), e.g. --match 'user:*'.")
    String match;

    @Option(names = "--db", paramLabel = "N", description = "Only keys of database N, e.g. --db 0.")
    Integer db;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            FileId[] id = new FileId[1];
            Snapshot s = snapshot(repo, snapshot, id);
            RedisRestore.Filter filter = new RedisRestore.Filter(match == null ? null : new Glob(match), db);
            long now = System.currentTimeMillis();
            PrintStream out = ctx().out();
            if (root().json()) {
                OutputStream o = new BufferedOutputStream(out, 1 << 16);
                JsonGenerator g = Output.JSON.getFactory().createGenerator(o);
                g.writeStartArray();
                RedisRecordView.keys(repo, s, filter, k -> {
                    g.writeTree(RedisRecordView.json(k, now));
                    return true;
                });
                g.writeEndArray();
                g.flush();
                o.write('\n');
                o.flush();
                return 0;
            }
            RedisRecordView.keys(repo, s, filter, k -> {
                out.printf("db%-2d %s  %s%n", k.db(), KeyNames.encode(k.key()), RedisRecordView.summary(k, now));
                return true;
            });
            return 0;
        }
    }
}
