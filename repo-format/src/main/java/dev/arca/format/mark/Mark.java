package dev.arca.format.mark;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.FileId;
import dev.arca.format.io.ByteReader;
import dev.arca.format.io.ByteWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of a mark file (spec §13.1), sealed with magic {@code ARCM}: either a prune's
 * decision to delete packs later ({@link Kind#DELETE}) or a writer's veto of such a decision for
 * packs it reused ({@link Kind#CANCEL}).
 *
 * <pre>
 * mark     := u8 kind || u64 createdMillis || u64 notBeforeMillis || string host
 *             || u32 n || item × n
 * item     := id pack || u8 flags                     kind 1 (delete); flags bit 0: not indexed when marked
 *           | id pack || id mark                      kind 2 (cancel): the delete mark it overrules for that pack
 * </pre>
 *
 * Times are milliseconds since 1970 UTC. A delete mark's packs may be deleted from
 * {@code notBefore} on, if nothing needs them then; a cancel's {@code notBefore} is 0.
 */
public record Mark(Kind kind, Instant created, Instant notBefore, String host, List<Item> items) {
    public static final String MAGIC = "ARCM";
    public static final int VERSION_START = 1;
    public static final int VERSION_CURRENT = 1;
    /** Item flag of a delete mark: the pack was in no index file when it was marked. */
    public static final int FLAG_UNINDEXED = 1;
    private static final int MAX_ITEMS = 1 << 24;

    public enum Kind {
        DELETE(1), CANCEL(2);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    /**
     * One pack of the mark. For a delete mark {@code mark} is null; for a cancel it names the
     * delete mark overruled, and {@code flags} is 0.
     */
    public record Item(FileId pack, int flags, FileId mark) {
        public boolean unindexed() {
            return (flags & FLAG_UNINDEXED) != 0;
        }
    }

    public Mark {
        items = List.copyOf(items);
        host = host == null ? "" : host;
    }

    public static Mark delete(Instant created, Instant notBefore, String host, List<Item> items) {
        return new Mark(Kind.DELETE, created, notBefore, host, items);
    }

    public static Mark cancel(Instant created, String host, List<Item> items) {
        return new Mark(Kind.CANCEL, created, Instant.EPOCH, host, items);
    }

    /** This machine's name, for the informational {@code host} field. */
    public static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            return "";
        }
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(64 + items.size() * 65);
        w.u8(kind.code).u64(created.toEpochMilli()).u64(notBefore.toEpochMilli()).string(host).u32(items.size());
        for (Item i : items) {
            w.id(i.pack());
            if (kind == Kind.DELETE) {
                w.u8(i.flags());
            } else {
                w.id(i.mark());
            }
        }
        return w.toByteArray();
    }

    public static Mark decode(byte[] content, String object) throws CorruptObjectException {
        ByteReader r = new ByteReader(content, object);
        int code = r.u8();
        Kind kind = code == 1 ? Kind.DELETE : code == 2 ? Kind.CANCEL : null;
        if (kind == null) {
            throw r.corrupt("unknown mark kind " + code);
        }
        Instant created = Instant.ofEpochMilli(r.u64());
        Instant notBefore = Instant.ofEpochMilli(r.u64());
        String host = r.string("host");
        int n = r.u32AsInt("item count");
        int itemLength = kind == Kind.DELETE ? 33 : 64;
        if (n > MAX_ITEMS || (long) n * itemLength > r.remaining()) {
            throw r.corrupt("item list overruns the file");
        }
        List<Item> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FileId pack = FileId.fromBytes(content, r.idOffset());
            if (kind == Kind.DELETE) {
                int flags = r.u8();
                if ((flags & ~FLAG_UNINDEXED) != 0) {
                    throw r.corrupt("unknown item flags " + flags);
                }
                items.add(new Item(pack, flags, null));
            } else {
                items.add(new Item(pack, 0, FileId.fromBytes(content, r.idOffset())));
            }
        }
        r.expectEnd("the last item");
        return new Mark(kind, created, notBefore, host, items);
    }
}
