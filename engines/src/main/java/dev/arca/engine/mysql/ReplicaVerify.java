package dev.arca.engine.mysql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Compares every table of a primary and a replica the way pt-table-checksum does, without locking:
 * each table with a primary key is cut into chunks of {@code chunkRows} rows by key ranges taken
 * from the primary, and each chunk's {@code COUNT(*)} and
 * {@code BIT_XOR(CRC32(CONCAT_WS('#', columns…, null flags)))} is read on both servers (plain
 * consistent reads) and compared. Chunks of up to {@code tablesAtOnce} tables run on
 * {@code threads} threads, each with its own pair of connections. A chunk that differs is read
 * again a few times (the replica may lag) before the table is reported as different with that
 * chunk's key range.
 */
public final class ReplicaVerify {
    private static final String SYSTEM = "('mysql','information_schema','performance_schema','sys')";
    private static final int RECHECKS = 3;

    public record Options(int threads, int tablesAtOnce, List<String> ignore, boolean crc, double maxRateMBps,
            int chunkRows) {
        public Options {
            if (threads < 1 || threads > 16) {
                throw new IllegalArgumentException("--threads must be 1..16, got " + threads);
            }
            if (tablesAtOnce < 1 || tablesAtOnce > 5) {
                throw new IllegalArgumentException("--tables-at-once must be 1..5, got " + tablesAtOnce);
            }
            if (chunkRows < 1) {
                throw new IllegalArgumentException("--chunk-rows must be positive");
            }
        }
    }

    public enum Status { SAME, DIFFERENT, FAILED, IGNORED }

    /** One table's outcome; {@code from}/{@code to}: the first differing key range (exclusive, inclusive; null = open). */
    public record TableResult(String table, Status status, String reason, long rows, int chunks, String from, String to,
            long primaryRows, long replicaRows) {
    }

    public record Report(List<TableResult> tables) {
        public List<TableResult> with(Status s) {
            return tables.stream().filter(t -> t.status() == s).toList();
        }

        public boolean consistent() {
            return with(Status.DIFFERENT).isEmpty() && with(Status.FAILED).isEmpty();
        }
    }

    private final MysqlUri primary;
    private final MysqlUri replica;
    private final Options options;
    private final List<Pattern> ignore = new ArrayList<>();
    private final RateLimiter rate;
    private final List<Connection> opened = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<Connection[]> conns = new ThreadLocal<>();

    public ReplicaVerify(MysqlUri primary, MysqlUri replica, Options options) {
        this.primary = primary;
        this.replica = replica;
        this.options = options;
        for (String p : options.ignore()) {
            if (!p.contains(".")) {
                throw new IllegalArgumentException("--ignore wants db.table or db.*, got '" + p + "'");
            }
            ignore.add(Pattern.compile(Pattern.quote(p).replace("*", "\\E.*\\Q")));
        }
        this.rate = new RateLimiter(options.maxRateMBps());
    }

    static Connection connect(MysqlUri u) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://" + (u.host().contains(":") ? "[" + u.host() + "]" : u.host())
                + ":" + u.port() + "/", u.user(), u.password() == null ? "" : u.password());
    }

    public Report run() throws IOException {
        Map<String, TableInfo> tables;
        List<TableResult> results = new ArrayList<>();
        try (Connection p = connect(primary); Connection r = connect(replica)) {
            tables = tables(p);
            Map<String, TableInfo> onReplica = tables(r);
            for (TableInfo t : tables.values()) {
                t.missingOnReplica = !onReplica.containsKey(t.name());
            }
            for (String name : onReplica.keySet()) {
                if (!tables.containsKey(name) && !ignored(name)) {
                    results.add(new TableResult(name, Status.FAILED, "missing on the primary", 0, 0, null, null, 0, 0));
                }
            }
        } catch (SQLException e) {
            throw new MysqlException("cannot read the table lists: " + e.getMessage(), e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "arca-verify");
            t.setDaemon(true);
            return t;
        });
        Semaphore tablesAtOnce = new Semaphore(options.tablesAtOnce());
        try {
            List<Future<TableResult>> futures = new ArrayList<>();
            ExecutorService tablePool = Executors.newFixedThreadPool(options.tablesAtOnce(), r -> {
                Thread t = new Thread(r, "arca-verify-table");
                t.setDaemon(true);
                return t;
            });
            try {
                for (TableInfo t : tables.values()) {
                    futures.add(tablePool.submit(() -> {
                        tablesAtOnce.acquire();
                        try {
                            return table(t, pool);
                        } finally {
                            tablesAtOnce.release();
                        }
                    }));
                }
                for (Future<TableResult> f : futures) {
                    results.add(f.get());
                }
            } finally {
                tablePool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new MysqlException("verify failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            synchronized (opened) {
                for (Connection c : opened) {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        // closing only
                    }
                }
            }
        }
        return new Report(results);
    }

    private final class TableInfo {
        final String db;
        final String table;
        final List<String> columns = new ArrayList<>();
        final List<String> key = new ArrayList<>();
        long avgRowLength;
        boolean missingOnReplica;

        TableInfo(String db, String table) {
            this.db = db;
            this.table = table;
        }

        String name() {
            return db + "." + table;
        }

        String quoted() {
            return TableExtractor.quote(db) + "." + TableExtractor.quote(table);
        }
    }

    private Map<String, TableInfo> tables(Connection c) throws SQLException {
        Map<String, TableInfo> out = new TreeMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT table_schema, table_name, COALESCE(avg_row_length, 0) "
                + "FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN " + SYSTEM);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableInfo t = new TableInfo(rs.getString(1), rs.getString(2));
                t.avgRowLength = rs.getLong(3);
                out.put(t.name(), t);
            }
        }
        try (PreparedStatement st = c.prepareStatement("SELECT table_schema, table_name, column_name FROM "
                + "information_schema.columns WHERE table_schema NOT IN " + SYSTEM + " ORDER BY table_schema, table_name, "
                + "ordinal_position"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableInfo t = out.get(rs.getString(1) + "." + rs.getString(2));
                if (t != null) {
                    t.columns.add(rs.getString(3));
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("SELECT table_schema, table_name, column_name FROM "
                + "information_schema.key_column_usage WHERE constraint_name = 'PRIMARY' AND table_schema NOT IN " + SYSTEM
                + " ORDER BY table_schema, table_name, ordinal_position"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableInfo t = out.get(rs.getString(1) + "." + rs.getString(2));
                if (t != null) {
                    t.key.add(rs.getString(3));
                }
            }
        }
        return out;
    }

    private TableResult table(TableInfo t, ExecutorService pool) throws InterruptedException {
        if (ignored(t.name())) {
            return new TableResult(t.name(), Status.IGNORED, "in --ignore", 0, 0, null, null, 0, 0);
        }
        if (t.key.isEmpty()) {
            return new TableResult(t.name(), Status.IGNORED, "no primary key", 0, 0, null, null, 0, 0);
        }
        if (t.missingOnReplica) {
            return new TableResult(t.name(), Status.FAILED, "missing on the replica", 0, 0, null, null, 0, 0);
        }
        try {
            List<Object[]> bounds = bounds(t);
            List<Future<long[][]>> chunks = new ArrayList<>();
            for (int i = 0; i <= bounds.size(); i++) {
                Object[] lo = i == 0 ? null : bounds.get(i - 1);
                Object[] hi = i == bounds.size() ? null : bounds.get(i);
                chunks.add(pool.submit(() -> compare(t, lo, hi)));
            }
            long rows = 0;
            for (int i = 0; i < chunks.size(); i++) {
                long[][] r = chunks.get(i).get();
                rows += r[0][0];
                if (r[0][0] != r[1][0] || r[0][1] != r[1][1]) {
                    Object[] lo = i == 0 ? null : bounds.get(i - 1);
                    Object[] hi = i == bounds.size() ? null : bounds.get(i);
                    for (int j = i + 1; j < chunks.size(); j++) {
                        chunks.get(j).cancel(true);
                    }
                    return new TableResult(t.name(), Status.DIFFERENT, "rows differ in a key range", rows, i + 1,
                            keyText(t, lo), keyText(t, hi), r[0][0], r[1][0]);
                }
            }
            return new TableResult(t.name(), Status.SAME, null, rows, chunks.size(), null, null, rows, rows);
        } catch (SQLException | java.util.concurrent.ExecutionException e) {
            Throwable c = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            return new TableResult(t.name(), Status.FAILED, String.valueOf(c.getMessage()), 0, 0, null, null, 0, 0);
        }
    }

    private boolean ignored(String table) {
        return ignore.stream().anyMatch(p -> p.matcher(table).matches());
    }

    private static String keyText(TableInfo t, Object[] k) {
        if (k == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < k.length; i++) {
            parts.add(t.key.get(i) + "=" + k[i]);
        }
        return String.join(",", parts);
    }

    private Connection[] connections() throws SQLException {
        Connection[] c = conns.get();
        if (c == null) {
            c = new Connection[] {connect(primary), connect(replica)};
            opened.add(c[0]);
            opened.add(c[1]);
            conns.set(c);
        }
        return c;
    }

    private String keyList(TableInfo t) {
        return String.join(", ", t.key.stream().map(TableExtractor::quote).toList());
    }

    private String after(TableInfo t) {
        return "(" + keyList(t) + ") > (" + String.join(", ", Collections.nCopies(t.key.size(), "?")) + ")";
    }

    private String upTo(TableInfo t) {
        return "(" + keyList(t) + ") <= (" + String.join(", ", Collections.nCopies(t.key.size(), "?")) + ")";
    }

    /** The primary's key every {@code chunkRows} rows, in key order. */
    private List<Object[]> bounds(TableInfo t) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Connection p = connect(primary)) {
            Object[] last = null;
            while (true) {
                String sql = "SELECT " + keyList(t) + " FROM " + t.quoted() + (last == null ? "" : " WHERE " + after(t))
                        + " ORDER BY " + keyList(t) + " LIMIT 1 OFFSET " + (options.chunkRows() - 1);
                try (PreparedStatement st = p.prepareStatement(sql)) {
                    if (last != null) {
                        for (int i = 0; i < last.length; i++) {
                            st.setObject(i + 1, last[i]);
                        }
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        if (!rs.next()) {
                            return out;
                        }
                        Object[] k = new Object[t.key.size()];
                        for (int i = 0; i < k.length; i++) {
                            k[i] = rs.getObject(i + 1);
                        }
                        out.add(k);
                        last = k;
                    }
                }
            }
        }
    }

    /** {count, checksum} of the chunk on the primary ([0]) and the replica ([1]), rechecked when they differ. */
    private long[][] compare(TableInfo t, Object[] lo, Object[] hi) throws SQLException, InterruptedException {
        Connection[] c = connections();
        StringBuilder where = new StringBuilder();
        if (lo != null) {
            where.append(after(t));
        }
        if (hi != null) {
            where.append(where.length() > 0 ? " AND " : "").append(upTo(t));
        }
        String cols = String.join(", ", t.columns.stream().map(TableExtractor::quote).toList());
        String nulls = String.join(", ", t.columns.stream().map(n -> "ISNULL(" + TableExtractor.quote(n) + ")").toList());
        String sum = options.crc() ? "COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', " + cols + ", CONCAT(" + nulls + ")))), 0)" : "0";
        String sql = "SELECT COUNT(*), " + sum + " FROM " + t.quoted() + (where.length() == 0 ? "" : " WHERE " + where);
        long[][] r = null;
        for (int attempt = 0; attempt <= RECHECKS; attempt++) {
            if (attempt > 0) {
                Thread.sleep(200L * attempt);
            }
            rate.acquire((long) Math.max(1, t.avgRowLength) * options.chunkRows() * 2);
            r = new long[][] {chunk(c[0], sql, lo, hi), chunk(c[1], sql, lo, hi)};
            if (r[0][0] == r[1][0] && r[0][1] == r[1][1]) {
                return r;
            }
        }
        return r;
    }

    private static long[] chunk(Connection c, String sql, Object[] lo, Object[] hi) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            int n = 1;
            if (lo != null) {
                for (Object o : lo) {
                    st.setObject(n++, o);
                }
            }
            if (hi != null) {
                for (Object o : hi) {
                    st.setObject(n++, o);
                }
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Holds reads to {@code MB/s} (0 = unlimited), by the estimated bytes each chunk reads. */
    static final class RateLimiter {
        private final double bytesPerNano;
        private long next = System.nanoTime();

        RateLimiter(double mbps) {
            this.bytesPerNano = mbps <= 0 ? 0 : mbps * 1024 * 1024 / 1e9;
        }

        void acquire(long bytes) throws InterruptedException {
            if (bytesPerNano == 0) {
                return;
            }
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                next = Math.max(next, now) + (long) (bytes / bytesPerNano);
                wait = next - now - (long) (bytes / bytesPerNano);
            }
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }
}
