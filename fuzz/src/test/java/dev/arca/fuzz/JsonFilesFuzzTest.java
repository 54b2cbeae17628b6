package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import dev.arca.chunker.GearTable;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.UnsupportedVersionException;
import dev.arca.format.WrongPasswordException;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.crypto.KeyFile;
import dev.arca.format.crypto.MasterKeys;
import dev.arca.format.id.FileId;
import dev.arca.format.io.Json;
import dev.arca.format.repo.Config;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.FixedRandom;
import dev.arca.fuzz.support.Fixtures;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.Guard;
import dev.arca.fuzz.support.RandomGen;
import dev.arca.fuzz.support.Reseal;
import dev.arca.fuzz.support.Samples;
import dev.arca.fuzz.support.Tamper;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON files: snapshots (§11), the config (§7) and key files (§5). */
class JsonFilesFuzzTest {
    private static final List<Class<? extends Exception>> CORRUPT = List.of(CorruptObjectException.class);
    private static final List<Class<? extends Exception>> PARSE_KEY =
            List.of(CorruptObjectException.class, UnsupportedVersionException.class);
    private static final List<Class<? extends Exception>> OPEN_KEY =
            List.of(CorruptObjectException.class, WrongPasswordException.class);
    /** Key files asking for more Argon2id work than this are parsed but not opened by the targets. */
    private static final int MAX_FUZZ_KDF_MEMORY_KIB = 1024;
    private static final byte[] KEY_FILE = Fixtures.sampleKeyFile();

    static {
        // Jackson builds its deserializers on first use; do it here so the allocation bound of
        // Guard measures parsing, not that one-time setup.
        try {
            Snapshot.decode(Fixtures.sampleSnapshot().encode(), "warm-up");
            Config.decode(Fixtures.sampleConfig().encode(), "warm-up");
            KeyFile.parse(KEY_FILE, "warm-up");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ------------------------------------------------------------------ snapshots

    /** Any bytes: a snapshot or a CorruptObjectException; what decodes can be encoded and decodes the same. */
    @FuzzTest
    void snapshotDecode(byte[] input) {
        snapshotDecodeAccepts(input);
    }

    static boolean snapshotDecodeAccepts(byte[] input) {
        Guard.Outcome<Snapshot> o = Guard.parse(input.length, CORRUPT, () -> Snapshot.decode(input, "snapshot"));
        if (!o.ok()) {
            return false;
        }
        Snapshot s = o.value();
        assertNotNull(s.instant());
        assertNotNull(s.treeId());
        assertNotNull(s.paths);
        assertNotNull(s.tags);
        byte[] again = s.encode();
        Guard.Outcome<Snapshot> back = Guard.parse(again.length, CORRUPT, () -> Snapshot.decode(again, "snapshot"));
        assertTrue(back.ok(), () -> "a decoded snapshot does not survive encode → decode: " + back.failure());
        assertSameSnapshot(s, back.value());
        assertSameSnapshot(s, s.copy());
        return true;
    }

    @FuzzTest
    void snapshotRoundTrip(FuzzedDataProvider data) {
        checkSnapshotRoundTrip(new FdpGen(data));
    }

    @Test
    void snapshotRoundTripOnSeededRandomSnapshots() {
        for (long seed = 0; seed < 1000; seed++) {
            checkSnapshotRoundTrip(new RandomGen(seed));
        }
    }

    static void checkSnapshotRoundTrip(Gen g) {
        Snapshot s = Samples.snapshot(g);
        try {
            Snapshot back = Snapshot.decode(s.encode(), "snapshot");
            assertSameSnapshot(s, back);
            assertEquals(Instant.parse(s.time), back.instant());
            assertEquals(s.tree, back.treeId().hex());
        } catch (CorruptObjectException e) {
            throw new AssertionError("a snapshot the code encoded does not decode: " + e.getMessage(), e);
        }
    }

    static void assertSameSnapshot(Snapshot a, Snapshot b) {
        assertEquals(a.time, b.time);
        assertEquals(a.tree, b.tree);
        assertEquals(a.paths, b.paths);
        assertEquals(a.host, b.host);
        assertEquals(a.user, b.user);
        assertEquals(a.tags, b.tags);
        assertEquals(a.engine, b.engine);
        assertEquals(a.parent, b.parent);
        assertEquals(a.programVersion, b.programVersion);
        assertEquals(normalized(a.engineMetadata), normalized(b.engineMetadata));
        assertEquals(normalized(a.summary), normalized(b.summary));
        assertEquals(normalized(a), normalized(b));
    }

    /** A value as the JSON tree it is written as, so numbers compare by value, not by node class. */
    private static JsonNode normalized(Object value) {
        try {
            return Json.MAPPER.readTree(Json.write(value));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ config

    /**
     * Any bytes: a config or a CorruptObjectException. A config that also validates yields chunker
     * parameters a chunker can be built from, and survives encode → decode.
     */
    @FuzzTest
    void configDecode(byte[] input) {
        configDecodeAccepts(input);
    }

    /** Whether a repository would accept the config: it decodes, has a known version and validates. */
    static boolean configDecodeAccepts(byte[] input) {
        Guard.Outcome<Config> o = Guard.parse(input.length, CORRUPT, () -> Config.decode(input, "config"));
        if (!o.ok()) {
            return false;
        }
        Config c = o.value();
        assertTrue(FileId.isValid(c.id));
        assertNotNull(c.chunker);
        Guard.Outcome<Config> valid = Guard.parse(input.length, CORRUPT, () -> {
            c.validate("config");
            return c;
        });
        if (valid.ok()) {
            ChunkerParams p = c.chunkerParams();
            assertNotNull(new FastCdc(GearTable.derive(Fixtures.CHUNKER_SECRET), p));
            assertTrue(c.packSize >= Config.MIN_PACK_SIZE && c.packSize <= Config.MAX_PACK_SIZE);
        }
        byte[] again = c.encode();
        Guard.Outcome<Config> back = Guard.parse(again.length, CORRUPT, () -> Config.decode(again, "config"));
        assertTrue(back.ok(), () -> "a decoded config does not survive encode → decode: " + back.failure());
        assertSameConfig(c, back.value());
        return valid.ok() && c.version >= Config.REPO_VERSION_START && c.version <= Config.REPO_VERSION_CURRENT;
    }

    @Test
    void configRoundTripOnSeededRandomConfigs() throws CorruptObjectException {
        for (long seed = 0; seed < 1000; seed++) {
            Config c = Samples.config(new RandomGen(seed));
            c.validate("config");
            Config back = Config.decode(c.encode(), "config");
            back.validate("config");
            assertSameConfig(c, back);
            assertEquals(c.chunkerParams(), back.chunkerParams());
        }
    }

    @Test
    void configValidationRefusesWhatTheSpecForbids() throws CorruptObjectException {
        Config c = Fixtures.sampleConfig();
        c.validate("config");
        String json = new String(c.encode(), java.nio.charset.StandardCharsets.UTF_8);
        String[][] bad = {
            {"\"avg\":16384", "\"avg\":16000"}, // not a power of two
            {"\"min\":4096", "\"min\":32"}, // below 64
            {"\"max\":65536", "\"max\":16384"}, // not above avg
            {"\"algorithm\":\"fastcdc-v1\"", "\"algorithm\":\"rabin\""},
            {"\"pack_size\":" + c.packSize, "\"pack_size\":1024"},
        };
        for (String[] r : bad) {
            assertTrue(json.contains(r[0]), r[0]);
            Config broken = Config.decode(json.replace(r[0], r[1]).getBytes(java.nio.charset.StandardCharsets.UTF_8), "c");
            assertThrows(CorruptObjectException.class, () -> broken.validate("config"), r[1]);
        }
        assertThrows(CorruptObjectException.class, () -> Config.decode(
                json.replace(c.id, c.id.toUpperCase(java.util.Locale.ROOT)).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "c"));
    }

    static void assertSameConfig(Config a, Config b) {
        assertEquals(a.version, b.version);
        assertEquals(a.id, b.id);
        assertEquals(a.created, b.created);
        assertEquals(a.packSize, b.packSize);
        assertEquals(a.chunker.algorithm, b.chunker.algorithm);
        assertEquals(a.chunker.min, b.chunker.min);
        assertEquals(a.chunker.avg, b.chunker.avg);
        assertEquals(a.chunker.max, b.chunker.max);
    }

    // ------------------------------------------------------------------ key files

    /**
     * Any bytes: a key file or a typed failure. A parsed key file with cheap KDF parameters is opened
     * with the fixture password: it fails typed, or yields exactly the fixture keys (only the genuine
     * sealed payload can open).
     */
    @FuzzTest
    void keyFile(byte[] input) {
        keyFileAccepts(input);
    }

    /** Whether the key file opened with the fixture password. */
    static boolean keyFileAccepts(byte[] input) {
        return checkKeyFile(input);
    }

    @FuzzTest
    void keyFileTamper(FuzzedDataProvider data) {
        checkKeyFile(Tamper.apply(KEY_FILE, new FdpGen(data)));
    }

    @Test
    void keyFileTamperOnSeededRandomDamage() {
        int opened = 0;
        for (long seed = 0; seed < 300; seed++) {
            if (checkKeyFile(Tamper.apply(KEY_FILE, new RandomGen(seed)))) {
                opened++;
            }
        }
        // Damage to host, user or created is not detected (they are informational, not sealed), so
        // some damaged files open; all of those gave the genuine keys (checked above). Most damage
        // breaks the JSON, the base64 or the tag.
        assertTrue(opened < 300, "every damaged key file opened");
    }

    /** Returns whether the key file opened. */
    static boolean checkKeyFile(byte[] input) {
        Guard.Outcome<KeyFile> parsed = Guard.parse(input.length, PARSE_KEY, () -> KeyFile.parse(input, "keys/k"));
        if (!parsed.ok()) {
            return false;
        }
        KeyFile k = parsed.value();
        KdfParams p = k.kdf();
        if (p.memoryKib() > MAX_FUZZ_KDF_MEMORY_KIB || p.iterations() > 4) {
            return false;
        }
        Guard.Outcome<MasterKeys> o = Guard.parse(input.length, OPEN_KEY,
                () -> k.open(Fixtures.PASSWORD.toCharArray(), "keys/k"));
        if (o.ok()) {
            assertArrayEquals(Fixtures.ENC_KEY, o.value().encKey());
            assertArrayEquals(Fixtures.ID_KEY, o.value().idKey());
            assertArrayEquals(Fixtures.CHUNKER_SECRET, o.value().chunkerSecret());
        }
        return o.ok();
    }

    /**
     * KdfParams lets a reader accept up to 4 GiB and 100 passes "so a crafted key file cannot exhaust
     * memory or time", but 4 GiB is more heap than a JVM gets by default on most machines: a key file
     * asking for it parses, and open then dies with OutOfMemoryError (1 GiB already does on a 512 MiB
     * heap) or, with enough heap, takes minutes. Repository.open tries every key file under keys/, so
     * one such file written to the storage breaks opening the repository with an Error, not a typed
     * exception. A fix either refuses such parameters (CorruptObjectException) or fails typed
     * without allocating the memory first.
     */
    @Test
    void keyFileAskingForExcessiveKdfMemoryFailsTyped() {
        String json = new String(KEY_FILE, 5, KEY_FILE.length - 5, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"memory_kib\":8,"));
        byte[] crafted = Arrays.copyOf(KEY_FILE, 5);
        crafted = concat(crafted, json.replace("\"memory_kib\":8,", "\"memory_kib\":" + (KdfParams.MAX_MEMORY_KIB + 1) + ",")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] file = crafted;
        Guard.Outcome<KeyFile> parsed = Guard.parse(file.length, PARSE_KEY, () -> KeyFile.parse(file, "keys/k"));
        if (!parsed.ok()) {
            return; // refused at parse: fixed
        }
        Guard.parse(file.length, OPEN_KEY, () -> parsed.value().open(Fixtures.PASSWORD.toCharArray(), "keys/k"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void keyFileRoundTripOnSeededRandomPasswords() throws Exception {
        for (long seed = 0; seed < 25; seed++) {
            Gen g = new RandomGen(seed);
            MasterKeys keys = new MasterKeys(g.bytes(32), g.bytes(32), g.bytes(32));
            String password = g.text(20);
            String host = g.text(10);
            KdfParams kdf = new KdfParams(g.intIn(1, 2), g.intIn(8, 64), 1);
            Instant created = Samples.instant(new RandomGen(seed)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Reseal.allow();
            byte[] file = KeyFile.create(keys, password.toCharArray(), kdf, new FixedRandom(seed), host, "u", created)
                    .encode();
            assertEquals("ARCK", new String(file, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(1, file[4]);
            KeyFile k = KeyFile.parse(file, "keys/k");
            assertEquals(kdf, k.kdf());
            assertEquals(host, k.host());
            assertEquals(created.toString(), k.created());
            MasterKeys back = k.open(password.toCharArray(), "keys/k");
            assertArrayEquals(keys.encKey(), back.encKey());
            assertArrayEquals(keys.idKey(), back.idKey());
            assertArrayEquals(keys.chunkerSecret(), back.chunkerSecret());
            assertThrows(WrongPasswordException.class, () -> k.open((password + "x").toCharArray(), "keys/k"));
            assertFalse(Arrays.equals(file, KeyFile.create(keys, password.toCharArray(), kdf, new FixedRandom(seed + 1000),
                    host, "u", created).encode()), "two key files share a salt");
        }
    }
}
