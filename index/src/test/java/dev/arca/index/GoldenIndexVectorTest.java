package dev.arca.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.arca.format.crypto.SealedFile;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.testing.TestRepos;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The golden index file (spec §16) merges into the LMDB index with every entry intact. */
class GoldenIndexVectorTest {
    static byte[] vector(String name) throws IOException {
        try (InputStream in = GoldenIndexVectorTest.class.getResourceAsStream("/vectors/" + name)) {
            assertNotNull(in, name + " missing from arca-spec");
            return in.readAllBytes();
        }
    }

    @Test
    void goldenIndexFileLoadsIntoLmdb(@TempDir Path dir) throws IOException {
        byte[] file = vector("index");
        IndexFile content = IndexFile.decode(SealedFile.open(TestRepos.goldenKeys().encKey(), file, IndexFile.MAGIC, 1, 1,
                "index", "index").content(), "index");
        FileId id = FileId.of(file);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            idx.add(List.of(new BlobIndex.Loaded(id, content)));
            IndexFile.Pack pack = content.packs().get(0);
            assertEquals(FileId.of(vector("pack")), pack.id());
            assertEquals(3, idx.blobCount());
            for (PackEntry e : pack.entries()) {
                BlobLocation loc = idx.find(e.id());
                assertEquals(e, loc.entry());
                assertEquals(pack.id(), loc.pack());
            }
            assertEquals(java.util.Set.of(id), idx.indexFiles());
        }
    }
}
