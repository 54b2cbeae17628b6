package dev.arca.format.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arca.chunker.ChunkerParams;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.io.Json;

/**
 * The repository config (spec §7), the content of the sealed file {@code config} (magic
 * {@code ARCC}).
 */
public final class Config {
    public static final String MAGIC = "ARCC";
    public static final int FILE_VERSION_START = 1;
    public static final int FILE_VERSION_CURRENT = 1;
    /** Repository format versions this code reads and the one it writes. */
    public static final int REPO_VERSION_START = 1;
    public static final int REPO_VERSION_CURRENT = 1;
    public static final int DEFAULT_PACK_SIZE = 16 << 20;
    public static final int MIN_PACK_SIZE = 1 << 20;
    public static final int MAX_PACK_SIZE = 1 << 30;

    @JsonProperty("version") public int version;
    @JsonProperty("id") public String id;
    @JsonProperty("created") public String created;
    @JsonProperty("chunker") public Chunker chunker;
    @JsonProperty("pack_size") public int packSize;

    /** The chunker section. */
    public static final class Chunker {
        @JsonProperty("algorithm") public String algorithm;
        @JsonProperty("min") public int min;
        @JsonProperty("avg") public int avg;
        @JsonProperty("max") public int max;
    }

    public ChunkerParams chunkerParams() {
        return new ChunkerParams(chunker.min, chunker.avg, chunker.max);
    }

    public static Config create(String id, String created, ChunkerParams params, int packSize) {
        Config c = new Config();
        c.version = REPO_VERSION_CURRENT;
        c.id = id;
        c.created = created;
        c.chunker = new Chunker();
        c.chunker.algorithm = ChunkerParams.ALGORITHM;
        c.chunker.min = params.min();
        c.chunker.avg = params.avg();
        c.chunker.max = params.max();
        c.packSize = packSize;
        return c;
    }

    public byte[] encode() {
        return Json.write(this);
    }

    /** Decodes and validates everything except the repository version, which the caller checks. */
    public static Config decode(byte[] content, String object) throws CorruptObjectException {
        Config c = Json.read(content, 0, content.length, Config.class, object);
        if (c.id == null || !dev.arca.format.id.FileId.isValid(c.id) || c.chunker == null) {
            throw new CorruptObjectException(object, "config lacks a valid id or chunker");
        }
        return c;
    }

    /** Validates the fields that only make sense for a known repository version. */
    public void validate(String object) throws CorruptObjectException {
        if (!ChunkerParams.ALGORITHM.equals(chunker.algorithm)) {
            throw new CorruptObjectException(object, "unknown chunker algorithm " + chunker.algorithm);
        }
        try {
            chunkerParams();
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(object, e.getMessage());
        }
        if (packSize < MIN_PACK_SIZE || packSize > MAX_PACK_SIZE) {
            throw new CorruptObjectException(object, "pack size " + packSize + " is outside " + MIN_PACK_SIZE + ".." + MAX_PACK_SIZE);
        }
    }
}
