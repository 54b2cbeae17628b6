package dev.arca.bench.corpus;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Corpus generators for bench/run.sh. Every output is a pure function of the arguments (the seed
 * above all); sizes are in bytes.
 *
 * <pre>
 *   files        V1 V2 BYTES SEED
 *   redis-load   LOGICAL_BYTES SEED          RESP on stdout (pipe into redis-cli --pipe)
 *   redis-mutate KEYS SEED                   RESP on stdout
 *   rocks        DBDIR V1 V2 BYTES SEED
 *   asb          V1 V2 BYTES FILE_LIMIT SEED
 * </pre>
 * Statistics go to stderr as one line of key=value pairs.
 */
public final class Main {
    private Main() {
    }

    static void printStats(Map<String, Long> st) {
        System.err.println(st.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
    }

    public static void main(String[] a) throws Exception {
        if (a.length == 0) {
            System.err.println("usage: files|redis-load|redis-mutate|rocks|asb ARGS (see the class comment)");
            System.exit(2);
        }
        switch (a[0]) {
            case "files" -> new FileTree(Long.parseLong(a[4]), Long.parseLong(a[3])).generate(Path.of(a[1]), Path.of(a[2]));
            case "redis-load" -> RedisResp.load(Long.parseLong(a[1]), Long.parseLong(a[2]));
            case "redis-mutate" -> RedisResp.mutate(Long.parseLong(a[1]), Long.parseLong(a[2]));
            case "rocks" -> new RocksCorpus(Long.parseLong(a[5]), Long.parseLong(a[4])).generate(Path.of(a[1]), Path.of(a[2]), Path.of(a[3]));
            case "asb" -> new AsbBackup(Long.parseLong(a[5]), Long.parseLong(a[3]), Long.parseLong(a[4])).generate(Path.of(a[1]), Path.of(a[2]));
            default -> {
                System.err.println("unknown generator " + a[0]);
                System.exit(2);
            }
        }
    }
}
