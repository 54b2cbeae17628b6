package dev.arca.format.id;

/** The id of a blob: {@code HMAC-SHA256(idKey, plaintext)} (spec §1). */
public final class BlobId extends Hash32 implements Comparable<BlobId> {
    private BlobId(byte[] raw, int off) {
        super(raw, off);
    }

    public static BlobId fromBytes(byte[] raw) {
        return new BlobId(raw, 0);
    }

    public static BlobId fromBytes(byte[] raw, int off) {
        return new BlobId(raw, off);
    }

    public static BlobId fromHex(String hex) {
        return new BlobId(parseHex(hex), 0);
    }

    @Override
    public int compareTo(BlobId o) {
        return compareWords(o);
    }
}
