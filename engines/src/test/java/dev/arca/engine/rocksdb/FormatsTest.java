package dev.arca.engine.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parsers and names of the rocksdb engine against RocksDB's real files and formats. */
class FormatsTest {
    static Path fixture(String name) throws Exception {
        return Path.of(FormatsTest.class.getResource("/rocksdb/pebble-testdata/" + name).toURI());
    }

    @Test
    void manifestOfStage4DecodesAsRocksDbWroteIt() throws Exception {
        ManifestReader.LiveSet live = ManifestReader.read(fixture("db-stage-4"));
        assertEquals("MANIFEST-000005", live.manifest());
        assertEquals(Set.of(4L), live.tables());
        assertEquals(4, live.minLogNumber());
        assertEquals(6, live.nextFileNumber());
        assertEquals(5, live.lastSequence());
        assertTrue(live.walIsLive(6) && !live.walIsLive(3));
        assertTrue(ManifestReader.lastWalSequence(fixture("db-stage-4").resolve("000006.log")) > 5,
                "stage 4 has writes in its WAL after the flush");
    }

    @Test
    void ingestOnlyFollowsCurrentNotTheStaleManifest() throws Exception {
        ManifestReader.LiveSet live = ManifestReader.read(fixture("rocksdb-ingest-only"));
        assertEquals("MANIFEST-000007", live.manifest());
        assertEquals(Set.of(6L), live.tables());
    }

    @Test
    void aManifestOfManyBlocksIsReadBlockByBlockToTheLiveSetRocksDbReports(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        org.rocksdb.RocksDB.loadLibrary();
        Path dir = tmp.resolve("db");
        Set<Long> expected = new java.util.TreeSet<>();
        try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true).setDisableAutoCompactions(true);
             org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, dir.toString());
             org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            byte[] big = new byte[300];   // long keys make long version edits
            for (int i = 0; i < 400; i++) {
                java.util.Arrays.fill(big, (byte) ('a' + i % 26));
                byte[] key = (new String(big, StandardCharsets.US_ASCII) + i).getBytes(StandardCharsets.US_ASCII);
                db.put(key, key);
                db.flush(fo);
            }
            db.compactRange(null, ("z".repeat(10)).getBytes(StandardCharsets.US_ASCII));   // some files deleted again
            for (org.rocksdb.LiveFileMetaData f : db.getLiveFilesMetaData()) {
                expected.add(Long.parseLong(f.fileName().replaceAll("\\D", "")));
            }
        }
        ManifestReader.LiveSet live = ManifestReader.read(dir);
        assertTrue(Files.size(dir.resolve(live.manifest())) > 3 * ManifestReader.BLOCK,
                "the MANIFEST spans several 32 KiB blocks: " + Files.size(dir.resolve(live.manifest())));
        assertEquals(expected, live.tables());
    }

    @Test
    void aFlippedByteInTheManifestIsReported() throws Exception {
        byte[] m = Files.readAllBytes(fixture("db-stage-4").resolve("MANIFEST-000005"));
        m[20] ^= 1;
        RocksdbException e = assertThrows(RocksdbException.class, () -> ManifestReader.parse(m, "MANIFEST-000005"));
        assertTrue(e.getMessage().contains("bad CRC-32C"), e.getMessage());
    }

    @Test
    void metaFilesRoundTripAndBadOnesAreRejected() throws Exception {
        BackupMeta m = BackupMeta.create(1700000000, 42, "hi".getBytes(StandardCharsets.UTF_8),
                List.of(new BackupMeta.Entry("shared_checksum/000007_sABC_10.sst", 4294967295L),
                        new BackupMeta.Entry("private/1/CURRENT", 1)));
        assertEquals("1700000000\n42\nmetadata 6869\n2\nshared_checksum/000007_sABC_10.sst crc32 4294967295\n"
                + "private/1/CURRENT crc32 1\n", new String(m.bytes(), StandardCharsets.US_ASCII));
        BackupMeta back = BackupMeta.parse(m.bytes(), "meta/1");
        assertEquals(42, back.sequence());
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), back.appMetadata());
        assertEquals(m.files(), back.files());

        String schema2 = "schema_version 2.1\n1700000000\n42\nmetadata 00FF\nfuture_field x\n1\n"
                + "private/1/CURRENT crc32 7 temp kWarm\n// FOOTER\n";
        assertEquals(1, BackupMeta.parse(schema2.getBytes(StandardCharsets.US_ASCII), "m").files().size());
        for (String bad : List.of("1\n2\n3\nprivate/1/CURRENT crc32 1\n", "1\n2\n1\n../x crc32 1\n",
                "1\n2\n1\nprivate/1/CURRENT crc32 99999999999\n", "1\n\n2\n0\n", "schema_version 3.0\n1\n2\n0\n",
                "1\n2\nni::future y\n0\n")) {
            assertThrows(RocksdbException.class, () -> BackupMeta.parse(bad.getBytes(StandardCharsets.US_ASCII), "m"), bad);
        }
    }

    @Test
    void sharedNamesMapBackToDatabaseNames() {
        assertEquals("000010_s5BSIZQ6Q1R8DQ0PXJ8IE_4233.sst", RocksFiles.sharedName("000010.sst", "5BSIZQ6Q1R8DQ0PXJ8IE", 1, 4233));
        assertEquals("000004_621155616_986.sst", RocksFiles.sharedName("000004.sst", null, 621155616, 986));
        assertEquals("000011_77_5.blob", RocksFiles.sharedName("000011.blob", "IGNORED", 77, 5));
        assertEquals("000010.sst", RocksFiles.dbName("shared_checksum/000010_s5BSIZQ6Q1R8DQ0PXJ8IE_4233.sst"));
        assertEquals("MANIFEST-000008", RocksFiles.dbName("private/1/MANIFEST-000008"));
        assertEquals(RocksFiles.Kind.WAL, RocksFiles.parse("000009.log").kind());
        assertEquals(RocksFiles.Kind.OTHER, RocksFiles.parse("LOG.old.1530059141831082").kind());
        assertEquals(RocksFiles.Kind.TABLE, RocksFiles.parse("000012.ldb").kind());
    }

    @Test
    void sessionIdsAreFoundInNewSstsAndAbsentInOldOnes() throws Exception {
        Path old = fixture("db-stage-4").resolve("000004.sst");
        assertNull(SstInfo.sessionId(old, Files.size(old)), "RocksDB 5.13 wrote no session id");
        // prefix-compressed entry as RocksDB 10 writes it: shared 17, non-shared 16, value 20
        byte[] tail = ("xx\u0011\u0010\u0014session.identityPZG506OC2WJ2M40J0UE3yy").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("PZG506OC2WJ2M40J0UE3", SstInfo.find(tail));
        Path notSst = fixture("db-stage-4").resolve("OPTIONS-000008");
        assertThrows(RocksdbException.class, () -> SstInfo.sessionId(notSst, Files.size(notSst)));
    }
}
