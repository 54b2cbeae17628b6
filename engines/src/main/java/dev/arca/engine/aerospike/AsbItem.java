package dev.arca.engine.aerospike;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * What one {@code .asb} file holds after its {@code Version} line, item by item. Names (namespace,
 * set, bin, index, UDF) are kept as unescaped bytes; values keep their text form (an integer or a
 * double as written, base64 as written, raw data as raw bytes) so that writing an item back gives
 * the bytes it was read from.
 */
public sealed interface AsbItem {
    /** {@code # namespace <ns>}. */
    record Namespace(byte[] name) implements AsbItem {
    }

    /** {@code # first-file}. */
    record FirstFile() implements AsbItem {
    }

    /**
     * {@code * i <ns> <set> <name> <itype> <n> (<path> <ptype>){n}[ <ctx>]}: a secondary index;
     * {@code paths} alternates path and path type; {@code context} is null when absent.
     */
    record SecondaryIndex(byte[] namespace, byte[] set, byte[] name, byte indexType, List<byte[]> paths,
            byte[] context) implements AsbItem {
    }

    /** {@code * u <type> <name> <len> <body>}: a UDF module; the body may hold any bytes. */
    record Udf(byte type, byte[] name, byte[] body) implements AsbItem {
    }

    /**
     * A record: the optional user key, namespace, 20-byte digest, set (null when the record has
     * none), generation, void time (seconds since 2010-01-01 UTC, 0 = never expires) and bins.
     */
    record Record(Key key, byte[] namespace, byte[] digest, byte[] set, int generation, long voidTime,
            List<Bin> bins) implements AsbItem {
        public String digestHex() {
            return HexFormat.of().formatHex(digest);
        }

        public String setText() {
            return set == null ? null : text(set);
        }

        public Record withNamespace(byte[] ns) {
            return new Record(key, ns, digest, set, generation, voidTime, bins);
        }

        public Record withBins(List<Bin> b) {
            return new Record(key, namespace, digest, set, generation, voidTime, b);
        }
    }

    /**
     * A user key: {@code type} is I, D, S, X or B; {@code compact} the {@code !} of {@code B!};
     * {@code value} the integer or double text, the raw string or bytes, or the base64 text.
     */
    record Key(byte type, boolean compact, byte[] value) {
    }

    /**
     * A bin: {@code type} is one of N Z I D S X G B J C P R H E Y M L; {@code compact} the
     * {@code !} after it; {@code value} is empty for N, T or F for Z, the number text for I and D,
     * raw bytes for S, G and compact bytes, base64 text otherwise.
     */
    record Bin(byte type, boolean compact, byte[] name, byte[] value) {
        public String nameText() {
            return text(name);
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
