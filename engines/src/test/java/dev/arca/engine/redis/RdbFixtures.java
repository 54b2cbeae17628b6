package dev.arca.engine.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The RDB fixtures under src/test/resources/redis (see the README there). */
final class RdbFixtures {
    static final List<String> ALL = List.of(
            "hdt3213-rdb/expiration.rdb", "hdt3213-rdb/function.rdb", "hdt3213-rdb/hash_as_listpack_with_hfe.rdb",
            "hdt3213-rdb/hash_with_hfe.rdb", "hdt3213-rdb/issue27.rdb", "hdt3213-rdb/listpack.rdb",
            "hdt3213-rdb/memory.rdb", "hdt3213-rdb/quicklist.rdb", "hdt3213-rdb/set_listpack.rdb",
            "hdt3213-rdb/stream_listoacks_3.rdb", "hdt3213-rdb/stream_listpacks_2.rdb", "hdt3213-rdb/tree.rdb",
            "redis-7.2.0-tests-assets/corrupt_empty_keys.rdb",
            "redis-7.2.0-tests-assets/encodings.rdb", "redis-7.2.0-tests-assets/hash-ziplist.rdb",
            "redis-7.2.0-tests-assets/hash-zipmap.rdb", "redis-7.2.0-tests-assets/list-quicklist.rdb",
            "redis-7.2.0-tests-assets/scriptbackup.rdb", "redis-7.2.0-tests-assets/zset-ziplist.rdb",
            "redis-rdb-tools-dumps/dictionary.rdb", "redis-rdb-tools-dumps/easily_compressible_string_key.rdb",
            "redis-rdb-tools-dumps/empty_database.rdb", "redis-rdb-tools-dumps/hash_as_ziplist.rdb",
            "redis-rdb-tools-dumps/integer_keys.rdb", "redis-rdb-tools-dumps/intset_16.rdb",
            "redis-rdb-tools-dumps/intset_32.rdb", "redis-rdb-tools-dumps/intset_64.rdb",
            "redis-rdb-tools-dumps/keys_with_expiry.rdb", "redis-rdb-tools-dumps/linkedlist.rdb",
            "redis-rdb-tools-dumps/multiple_databases.rdb", "redis-rdb-tools-dumps/non_ascii_values.rdb",
            "redis-rdb-tools-dumps/parser_filters.rdb", "redis-rdb-tools-dumps/rdb_version_5_with_checksum.rdb",
            "redis-rdb-tools-dumps/rdb_version_8_with_64b_length_and_scores.rdb",
            "redis-rdb-tools-dumps/redis_40_with_module.rdb", "redis-rdb-tools-dumps/redis_50_with_streams.rdb",
            "redis-rdb-tools-dumps/redis_60_with_module_aux.rdb", "redis-rdb-tools-dumps/regular_set.rdb",
            "redis-rdb-tools-dumps/regular_sorted_set.rdb", "redis-rdb-tools-dumps/sorted_set_as_ziplist.rdb",
            "redis-rdb-tools-dumps/uncompressible_string_keys.rdb",
            "redis-rdb-tools-dumps/ziplist_that_compresses_easily.rdb",
            "redis-rdb-tools-dumps/ziplist_that_doesnt_compress.rdb", "redis-rdb-tools-dumps/ziplist_with_integers.rdb",
            "redis-rdb-tools-dumps/zipmap_that_compresses_easily.rdb",
            "redis-rdb-tools-dumps/zipmap_that_doesnt_compress.rdb", "redis-rdb-tools-dumps/zipmap_with_big_values.rdb",
            "redis-replicator/binarydump.rdb", "redis-replicator/dump-huge-kv.rdb", "redis-replicator/dump-lfu.rdb",
            "redis-replicator/dump-lru.rdb", "redis-replicator/dump-module-2.rdb", "redis-replicator/dump-slot.rdb",
            "redis-replicator/dump-stream.rdb", "redis-replicator/dump-stream1.rdb", "redis-replicator/dump-ttlhash.rdb",
            "redis-replicator/dumpV10.rdb", "redis-replicator/dumpV11.rdb", "redis-replicator/dumpV6.rdb",
            "redis-replicator/dumpV7.rdb", "redis-replicator/dumpV9.rdb", "redis-replicator/function.rdb",
            "redis-replicator/function2.rdb", "redis-replicator/listpack-bug.rdb", "redis-replicator/module.rdb",
            "redis-replicator/stream2.rdb");

    /** Redis's own corrupt-payload test file (a 5-byte "ziplist"), CRC64 0, so only the structure can tell. */
    static final String CORRUPT_ZIPLIST = "redis-7.2.0-tests-assets/corrupt_ziplist.rdb";

    private RdbFixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = RdbFixtures.class.getResourceAsStream("/redis/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
