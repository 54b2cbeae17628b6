package dev.arca.format.mark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.FileId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mark files' content (spec §13.1): round trips, and every damaged encoding is a typed error. */
class MarkTest {
    private static FileId id(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return FileId.fromBytes(b);
    }

    private static Mark random(Random r) {
        int n = r.nextInt(20);
        List<Mark.Item> items = new ArrayList<>();
        boolean delete = r.nextBoolean();
        for (int i = 0; i < n; i++) {
            items.add(delete ? new Mark.Item(id(r), r.nextInt(2), null) : new Mark.Item(id(r), 0, id(r)));
        }
        Instant created = Instant.ofEpochMilli(r.nextLong() >>> 20);
        return delete ? Mark.delete(created, created.plusMillis(r.nextInt(1 << 30)), "host-" + r.nextInt(), items)
                : Mark.cancel(created, "höst", items);
    }

    @Test
    void seededRandomMarksRoundTrip() throws CorruptObjectException {
        for (long seed = 0; seed < 500; seed++) {
            Mark m = random(new Random(seed));
            byte[] bytes = m.encode();
            Mark back = Mark.decode(bytes, "mark");
            assertEquals(m, back);
            assertArrayEquals(bytes, back.encode());
        }
    }

    @Test
    void truncatedExtendedOrFlippedEncodingsAreRejectedOrDecodeConsistently() {
        for (long seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            byte[] bytes = random(r).encode();
            byte[] cut = Arrays.copyOf(bytes, r.nextInt(bytes.length));
            assertThrows(CorruptObjectException.class, () -> Mark.decode(cut, "mark"));
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + r.nextInt(40));
            assertThrows(CorruptObjectException.class, () -> Mark.decode(longer, "mark"));
            byte[] flipped = bytes.clone();
            flipped[r.nextInt(flipped.length)] ^= (byte) (1 << r.nextInt(8));
            try {
                Mark m = Mark.decode(flipped, "mark");
                assertArrayEquals(flipped, m.encode(), "what decodes re-encodes to the same bytes");
            } catch (CorruptObjectException expected) {
                // a typed error naming the object, never another exception
            }
        }
    }
}
