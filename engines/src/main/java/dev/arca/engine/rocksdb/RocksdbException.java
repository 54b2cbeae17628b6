package dev.arca.engine.rocksdb;

import java.io.IOException;

/**
 * The input is not what RocksDB would accept: not a database directory, CURRENT naming a missing
 * MANIFEST, a MANIFEST naming a missing SST, a damaged meta file, a database in use. The message
 * names the file. Nothing was stored.
 */
public class RocksdbException extends IOException {
    private static final long serialVersionUID = 1L;

    public RocksdbException(String message) {
        super(message);
    }

    public RocksdbException(String message, Throwable cause) {
        super(message, cause);
    }
}
