package dev.arca.engine.doris;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.Adler32;
import java.util.zip.CRC32C;

/**
 * Writes realistic Apache Doris backup repositories (engine-formats.md §3), deterministic from a
 * seed: {@code __palo_repository_<name>/__repo_info}, and per day and database one
 * {@code __ss_<label>} with {@code __meta.<md5>}, {@code __info_<ts>.<md5>} (the compact Gson job
 * info) and {@code __ss_content/__db_/__tbl_/__part_/__idx_/__<tablet>/} holding
 * {@code <tablet>.hdr.<md5>}, segment files {@code <rowset>_<seg>.dat.<md5>} (ending in the
 * segment v2 footer {@code footer_len | crc32c | "D0R1"}) and, for tables with an inverted index,
 * {@code <rowset>_<seg>.idx.<md5>}.
 *
 * <p>The data changes slowly: before each day after the first, a fixed share of the tablets gets
 * a new rowset (a load), and one in ten of those is compacted into a single new rowset instead;
 * the partition's visible version grows, and the tablet's header changes with its rowsets. The
 * other tablets' files stay byte for byte the same, as in a real cluster, so consecutive full
 * backups share most of their bytes.
 *
 * <p>Only the JDK is used, so the bench can copy this class. {@link #main} writes a repository
 * to a directory.
 */
public final class DorisRepoGenerator {
    /** The shape of the data. */
    public record Params(long seed, String repositoryName, int databases, int tablesPerDatabase,
                         int partitionsPerTable, int bucketsPerPartition, int rowsetsPerTablet, int segmentBytes,
                         double changedTabletsPerDay) {
        /** Two databases, a handful of tables, partitions and tablets; kilobyte files. */
        public static Params small(long seed) {
            return new Params(seed, "backup_repo", 2, 2, 3, 4, 2, 6 << 10, 0.05);
        }
    }

    /** One Doris snapshot written: where it is and what it holds. */
    public record SnapshotInfo(String label, String database, long backupTimeMillis, String infoFileName,
                               String metaFileName, Path directory, Map<String, Long> files, long newBytes) {
        /** Bytes of every file in the snapshot directory. */
        public long bytes() {
            return files.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static final DateTimeFormatter INFO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter REPO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter LABEL_DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final Instant START = Instant.parse("2024-03-01T02:00:00Z");

    private final Params params;
    private final SplittableRandom random;
    private final List<Database> databases = new ArrayList<>();
    private final HashSet<String> seenMd5 = new HashSet<>();
    private long nextId = 10001;
    private long rowsetCounter = 1;
    private int day;
    /** Advance the data without writing anything (to start a series at a later day). */
    private boolean dryRun;

    private static final class Database {
        long id;
        String name;
        List<Table> tables = new ArrayList<>();
        List<String> views = new ArrayList<>();
    }

    private static final class Table {
        long id;
        String name;
        boolean invertedIndex;
        List<Index> indexes = new ArrayList<>();
        List<Partition> partitions = new ArrayList<>();
    }

    private record Index(long id, String name, int schemaHash) {
    }

    private static final class Partition {
        long id;
        String name;
        long version = 2;
        /** Tablets per index, in the order of {@link Table#indexes}. */
        List<List<Tablet>> tablets = new ArrayList<>();
    }

    private static final class Tablet {
        long id;
        long beId;
        List<Rowset> rowsets = new ArrayList<>();
    }

    private record Rowset(String id, int segments, int segmentBytes, long startVersion, long endVersion) {
    }

    public DorisRepoGenerator(Params params) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        for (int d = 0; d < params.databases(); d++) {
            Database db = new Database();
            db.id = nextId++;
            db.name = d == 0 ? "sales" : d == 1 ? "crm" : "db" + d;
            for (int t = 0; t < params.tablesPerDatabase(); t++) {
                Table tbl = new Table();
                tbl.id = nextId++;
                tbl.name = (t == 0 ? "orders" : t == 1 ? "events" : "table" + t) + (d == 0 ? "" : "_" + db.name);
                tbl.invertedIndex = t == 1;
                tbl.indexes.add(new Index(nextId++, tbl.name, schemaHash()));
                if (t == 0 && params.tablesPerDatabase() > 1) {
                    tbl.indexes.add(new Index(nextId++, tbl.name + "_by_day", schemaHash()));
                }
                for (int p = 0; p < params.partitionsPerTable(); p++) {
                    Partition part = new Partition();
                    part.id = nextId++;
                    part.name = "p2024" + String.format("%02d", p + 1);
                    for (Index idx : tbl.indexes) {
                        List<Tablet> ts = new ArrayList<>();
                        for (int b = 0; b < params.bucketsPerPartition(); b++) {
                            Tablet tab = new Tablet();
                            tab.id = nextId++;
                            tab.beId = 10000 + random.nextInt(3);
                            int rowsets = 1 + random.nextInt(Math.max(1, params.rowsetsPerTablet()));
                            for (int r = 0; r < rowsets; r++) {
                                tab.rowsets.add(newRowset(part, idx != tbl.indexes.get(0)));
                            }
                            ts.add(tab);
                        }
                        part.tablets.add(ts);
                    }
                    tbl.partitions.add(part);
                }
                db.tables.add(tbl);
            }
            if (d == 0) {
                db.views.add("v_daily_orders");
            }
            databases.add(db);
        }
    }

    private int schemaHash() {
        return 100000000 + random.nextInt(1900000000);
    }

    private Rowset newRowset(Partition part, boolean rollup) {
        long v = part.version++;
        int size = params.segmentBytes() / (rollup ? 4 : 1);
        int bytes = Math.max(256, size / 2 + random.nextInt(Math.max(1, size)));
        int segments = bytes > 3 * params.segmentBytes() / 2 && random.nextInt(3) == 0 ? 2 : 1;
        return new Rowset(rowsetId(), segments, bytes, v, v);
    }

    /** A rowset id v2: "02", a 14-hex-digit counter, and a 32-hex-digit id of the BE process. */
    private String rowsetId() {
        return String.format("02%014x%016x%016x", rowsetCounter++, params.seed() * 0x9E3779B97F4A7C15L,
                0x5a17c0de00000000L | params.seed());
    }

    /** Writes the whole history: {@code __repo_info} and every day of every database. */
    public List<SnapshotInfo> generate(Path location, int days) throws IOException {
        writeRepoInfo(location);
        List<SnapshotInfo> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            out.addAll(nextDay(location));
        }
        return out;
    }

    /** The repository directory under {@code location}. */
    public Path repositoryDir(Path location) {
        return location.resolve("__palo_repository_" + params.repositoryName());
    }

    /** Writes {@code __repo_info} (no md5 in its name). */
    public void writeRepoInfo(Path location) throws IOException {
        Path repo = repositoryDir(location);
        Files.createDirectories(repo);
        String json = "{\"name\":\"" + params.repositoryName() + "\",\"create_time\":\""
                + REPO_TIME.format(START.minusSeconds(3600)) + "\"}";
        Files.writeString(repo.resolve("__repo_info"), json, StandardCharsets.UTF_8);
    }

    /** Changes the data (from the second day on) and backs up every database once. */
    public List<SnapshotInfo> nextDay(Path location) throws IOException {
        if (day > 0) {
            mutate();
        }
        List<SnapshotInfo> out = new ArrayList<>();
        for (int i = 0; i < databases.size(); i++) {
            Instant t = START.plusSeconds(86400L * day + 600L * i + random.nextInt(60));
            out.add(backup(repositoryDir(location), databases.get(i), t));
        }
        day++;
        return out;
    }

    /** Changes the data and takes the day's backups like {@link #nextDay}, but writes nothing. */
    public void skipDay() throws IOException {
        dryRun = true;
        try {
            nextDay(Path.of("unused"));
        } finally {
            dryRun = false;
        }
    }

    private void mutate() {
        List<Object[]> all = new ArrayList<>();
        for (Database db : databases) {
            for (Table t : db.tables) {
                for (Partition p : t.partitions) {
                    for (int i = 0; i < t.indexes.size(); i++) {
                        for (Tablet tab : p.tablets.get(i)) {
                            all.add(new Object[] {p, tab, i > 0});
                        }
                    }
                }
            }
        }
        int n = (int) Math.max(1, Math.round(all.size() * params.changedTabletsPerDay()));
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(all.size() - i);
            Collections.swap(all, i, j);
            Partition p = (Partition) all.get(i)[0];
            Tablet tab = (Tablet) all.get(i)[1];
            boolean rollup = (Boolean) all.get(i)[2];
            if (random.nextInt(10) == 0 && tab.rowsets.size() > 1) {
                long total = tab.rowsets.stream().mapToLong(r -> (long) r.segments() * r.segmentBytes()).sum();
                long start = tab.rowsets.get(0).startVersion();
                long end = p.version++;
                int bytes = (int) Math.min(Integer.MAX_VALUE / 2, total);
                tab.rowsets.clear();
                tab.rowsets.add(new Rowset(rowsetId(), 1, bytes, start, end));
            } else {
                tab.rowsets.add(newRowset(p, rollup));
            }
        }
    }

    private SnapshotInfo backup(Path repo, Database db, Instant time) throws IOException {
        String label = "snapshot_" + db.name + "_" + LABEL_DAY.format(time);
        Path ss = repo.resolve("__ss_" + label);
        Map<String, Long> files = new LinkedHashMap<>();
        long[] newBytes = {0};
        StringBuilder objects = new StringBuilder();
        StringBuilder beMap = new StringBuilder();
        StringBuilder pathMap = new StringBuilder();
        StringBuilder seqMap = new StringBuilder();
        objects.append('{');
        boolean firstTable = true;
        for (Table t : db.tables) {
            objects.append(firstTable ? "" : ",").append(q(t.name)).append(":{\"name\":").append(q(t.name))
                    .append(",\"id\":").append(t.id).append(",\"partitions\":{");
            firstTable = false;
            seqMap.append(seqMap.length() == 0 ? "" : ",").append(q(Long.toString(t.id))).append(':')
                    .append(1000 + day * 17L + t.id % 13);
            boolean firstPart = true;
            for (Partition p : t.partitions) {
                objects.append(firstPart ? "" : ",").append(q(p.name)).append(":{\"name\":").append(q(p.name))
                        .append(",\"id\":").append(p.id).append(",\"version\":").append(p.version - 1)
                        .append(",\"indexes\":{");
                firstPart = false;
                for (int i = 0; i < t.indexes.size(); i++) {
                    Index idx = t.indexes.get(i);
                    objects.append(i == 0 ? "" : ",").append(q(idx.name())).append(":{\"name\":").append(q(idx.name()))
                            .append(",\"id\":").append(idx.id()).append(",\"schema_hash\":").append(idx.schemaHash())
                            .append(",\"tablets\":{");
                    StringBuilder order = new StringBuilder();
                    boolean firstTablet = true;
                    for (Tablet tab : p.tablets.get(i)) {
                        String rel = "__ss_content/__db_" + db.id + "/__tbl_" + t.id + "/__part_" + p.id + "/__idx_"
                                + idx.id() + "/__" + tab.id;
                        Path dir = ss.resolve(rel);
                        if (!dryRun) {
                            Files.createDirectories(dir);
                        }
                        List<String> names = new ArrayList<>();
                        names.add(write(dir, tab.id + ".hdr", header(db, t, p, idx, tab), files, rel, newBytes));
                        for (Rowset r : tab.rowsets) {
                            for (int s = 0; s < r.segments(); s++) {
                                names.add(write(dir, r.id() + "_" + s + ".dat", segment(r, s), files, rel, newBytes));
                                if (t.invertedIndex) {
                                    names.add(write(dir, r.id() + "_" + s + ".idx", invertedIndex(r, s), files, rel,
                                            newBytes));
                                }
                            }
                        }
                        objects.append(firstTablet ? "" : ",").append(q(Long.toString(tab.id))).append(":[");
                        for (int k = 0; k < names.size(); k++) {
                            objects.append(k == 0 ? "" : ",").append(q(names.get(k)));
                        }
                        objects.append(']');
                        order.append(firstTablet ? "" : ",").append(tab.id);
                        firstTablet = false;
                        beMap.append(beMap.length() == 0 ? "" : ",").append(q(Long.toString(tab.id))).append(':')
                                .append(tab.beId);
                        pathMap.append(pathMap.length() == 0 ? "" : ",").append(q(Long.toString(tab.id))).append(':')
                                .append(q("/data/doris/be" + tab.beId + "/snapshot/" + LABEL_DAY.format(time) + "020000."
                                        + tab.id % 97 + ".86400/" + tab.id));
                    }
                    objects.append("},\"tablets_order\":[").append(order).append("]}");
                }
                objects.append("}}");
            }
            objects.append("}}");
        }
        objects.append('}');
        StringBuilder views = new StringBuilder();
        for (String v : db.views) {
            views.append(views.length() == 0 ? "" : ",").append("{\"id\":").append(db.id + 900 + views.length())
                    .append(",\"name\":").append(q(v)).append('}');
        }
        String info = "{\"name\":" + q(label) + ",\"database\":" + q(db.name) + ",\"id\":" + db.id
                + ",\"backup_time\":" + time.toEpochMilli() + ",\"content\":\"ALL\",\"backup_objects\":" + objects
                + ",\"new_backup_objects\":{\"views\":[" + views + "],\"odbc_tables\":[],\"odbc_resources\":[]}"
                + ",\"backup_result\":\"succeed\",\"meta_version\":130,\"major_version\":2,\"minor_version\":1"
                + ",\"patch_version\":7,\"tablet_be_map\":{" + beMap + "},\"tablet_snapshot_path_map\":{" + pathMap
                + "},\"table_commit_seq_map\":{" + seqMap + "},\"extra_info\":{\"be_network_map\":{"
                + "\"10000\":{\"ip\":\"10.0.0.11\",\"port\":9060},\"10001\":{\"ip\":\"10.0.0.12\",\"port\":9060},"
                + "\"10002\":{\"ip\":\"10.0.0.13\",\"port\":9060}},\"token\":\"" + token(time) + "\"}}";
        String metaName = write(ss, "__meta", meta(db), files, "", newBytes);
        String infoName = write(ss, "__info_" + INFO_TIME.format(time), info.getBytes(StandardCharsets.UTF_8), files, "",
                newBytes);
        return new SnapshotInfo(label, db.name, time.toEpochMilli(), infoName, metaName, ss, files, newBytes[0]);
    }

    private String write(Path dir, String name, byte[] content, Map<String, Long> files, String rel, long[] newBytes)
            throws IOException {
        String md5 = md5Hex(content);
        String full = name + "." + md5;
        if (!dryRun) {
            Files.write(dir.resolve(full), content);
        }
        files.put(rel.isEmpty() ? full : rel + "/" + full, (long) content.length);
        if (seenMd5.add(md5)) {
            newBytes[0] += content.length;
        }
        return full;
    }

    private static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private String token(Instant time) {
        SplittableRandom r = new SplittableRandom(params.seed() ^ time.toEpochMilli());
        return String.format("%08x-%04x-%04x-%04x-%012x", r.nextInt(), r.nextInt(1 << 16), r.nextInt(1 << 16),
                r.nextInt(1 << 16), r.nextLong() & 0xffffffffffffL);
    }

    /** A FileHeader&lt;TabletMetaPB&gt;: the fixed header, then a protobuf-like tablet meta. */
    private byte[] header(Database db, Table t, Partition p, Index idx, Tablet tab) {
        ByteArrayOutputStream pb = new ByteArrayOutputStream();
        varintField(pb, 1, t.id);
        varintField(pb, 2, p.id);
        varintField(pb, 3, tab.id);
        varintField(pb, 5, idx.schemaHash() & 0xffffffffL);
        varintField(pb, 6, START.getEpochSecond());
        for (Rowset r : tab.rowsets) {
            ByteArrayOutputStream rs = new ByteArrayOutputStream();
            bytesField(rs, 1, r.id().getBytes(StandardCharsets.US_ASCII));
            varintField(rs, 2, r.startVersion());
            varintField(rs, 3, r.endVersion());
            varintField(rs, 4, r.segments());
            varintField(rs, 5, (long) r.segments() * r.segmentBytes());
            bytesField(pb, 15, rs.toByteArray());
        }
        bytesField(pb, 20, ("db=" + db.name + ";table=" + t.name + ";index=" + idx.name()).getBytes(StandardCharsets.UTF_8));
        byte[] proto = pb.toByteArray();
        Adler32 adler = new Adler32();
        adler.update(proto);
        ByteBuffer b = ByteBuffer.allocate(32 + proto.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0x0ABCDEF);               // magic_number
        b.putInt(1);                        // version
        b.putLong(32 + proto.length);       // file_length
        b.putInt(0);                        // checksum (unused)
        b.putInt(proto.length);             // protobuf_length
        b.putInt((int) adler.getValue());   // protobuf_checksum
        b.put(proto);
        return b.array();
    }

    private static void varintField(ByteArrayOutputStream out, int field, long v) {
        varint(out, (long) field << 3);
        varint(out, v);
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] v) {
        varint(out, ((long) field << 3) | 2);
        varint(out, v.length);
        out.writeBytes(v);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /**
     * A segment v2 file: compressed-looking pages (random bytes with short page headers), a
     * footer, then {@code footer_len u32 | crc32c(footer) u32 | "D0R1"}.
     */
    private byte[] segment(Rowset r, int seg) {
        SplittableRandom rnd = new SplittableRandom(params.seed() * 31 + r.id().hashCode() * 7L + seg);
        int footerLen = 48 + rnd.nextInt(64);
        int body = Math.max(16, r.segmentBytes() - footerLen - 12);
        byte[] out = new byte[body + footerLen + 12];
        for (int i = 0; i < body; i += 8) {
            long v = rnd.nextLong();
            for (int k = 0; k < 8 && i + k < body; k++) {
                out[i + k] = (byte) (v >>> (8 * k));
            }
        }
        for (int page = 0; page < body; page += 4096) {
            out[page] = 'P';
            if (page + 1 < body) {
                out[page + 1] = 0;
            }
        }
        for (int i = 0; i < footerLen; i++) {
            out[body + i] = (byte) (i % 7 == 0 ? 0x08 : rnd.nextInt(128));
        }
        CRC32C crc = new CRC32C();
        crc.update(out, body, footerLen);
        ByteBuffer tail = ByteBuffer.wrap(out, body + footerLen, 12).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt(footerLen).putInt((int) crc.getValue()).put("D0R1".getBytes(StandardCharsets.US_ASCII));
        return out;
    }

    /** An inverted index file (format v2): a small header and term data. */
    private byte[] invertedIndex(Rowset r, int seg) {
        SplittableRandom rnd = new SplittableRandom(params.seed() * 131 + r.id().hashCode() + seg);
        byte[] out = new byte[Math.max(64, r.segmentBytes() / 5)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ('a' + rnd.nextInt(26));
        }
        ByteBuffer.wrap(out).putInt(2).putInt(1).putLong(out.length);
        return out;
    }

    /** BackupMeta: int tblCount, a Table.write() each (Text of its JSON), int resCount. */
    private byte[] meta(Database db) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(db.tables.size());
        for (Table t : db.tables) {
            StringBuilder json = new StringBuilder("{\"clazz\":\"OlapTable\",\"id\":" + t.id + ",\"name\":" + q(t.name)
                    + ",\"type\":\"OLAP\",\"keysType\":\"DUP_KEYS\",\"partitions\":[");
            for (int i = 0; i < t.partitions.size(); i++) {
                Partition p = t.partitions.get(i);
                json.append(i == 0 ? "" : ",").append("{\"id\":").append(p.id).append(",\"name\":").append(q(p.name))
                        .append(",\"visibleVersion\":").append(p.version - 1).append('}');
            }
            json.append("]}");
            byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }
        out.writeInt(0);
        out.flush();
        return bytes.toByteArray();
    }

    static String md5Hex(byte[] content) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(content);
            StringBuilder b = new StringBuilder(32);
            for (byte x : d) {
                b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a repository: {@code DorisRepoGenerator DIR [--shape small|table] [--seed N] [--days N]
     * [--only-day K] [--partitions N] [--buckets N] [--segment-bytes N] [--changed SHARE]}.
     *
     * <p>{@code small} is the tests' shape (two databases); {@code table} is one database with one
     * table of PARTITIONS x BUCKETS tablets (default 10 x 64, segments of 256 KiB, 2% of the tablets
     * changed a day), for the storage figure. With {@code --only-day K} only day K's snapshot is
     * written (days before it are computed, not written), so a series can be built day by day into
     * the same directory: {@code for k in 1..10: generate --only-day k; back up}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args[0].startsWith("-")) {
            System.err.println("usage: DorisRepoGenerator DIR [--shape small|table] [--seed N] [--days N] [--only-day K] "
                    + "[--partitions N] [--buckets N] [--segment-bytes N] [--changed SHARE]");
            System.exit(2);
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        long seed = Long.parseLong(o.getOrDefault("--seed", "1"));
        int days = Integer.parseInt(o.getOrDefault("--days", "10"));
        int onlyDay = Integer.parseInt(o.getOrDefault("--only-day", "0"));
        Params p = o.getOrDefault("--shape", "small").equals("table")
                ? new Params(seed, "daily_repo", 1, 1, Integer.parseInt(o.getOrDefault("--partitions", "10")),
                        Integer.parseInt(o.getOrDefault("--buckets", "64")), 3,
                        Integer.parseInt(o.getOrDefault("--segment-bytes", String.valueOf(256 << 10))),
                        Double.parseDouble(o.getOrDefault("--changed", "0.02")))
                : Params.small(seed);
        DorisRepoGenerator g = new DorisRepoGenerator(p);
        Path dir = Path.of(args[0]);
        List<SnapshotInfo> written = new ArrayList<>();
        if (onlyDay > 0) {
            for (int d = 1; d < onlyDay; d++) {
                g.skipDay();
            }
            if (!Files.exists(g.repositoryDir(dir).resolve("__repo_info"))) {
                g.writeRepoInfo(dir);
            }
            written.addAll(g.nextDay(dir));
        } else {
            written.addAll(g.generate(dir, days));
        }
        for (SnapshotInfo s : written) {
            System.out.println(s.label() + " " + s.files().size() + " files " + s.bytes() + " bytes, new " + s.newBytes());
        }
    }
}
