/**
 * The Redis engine: RDB snapshots from a file or straight from a live server over the replication
 * protocol, stored verbatim with a key index, browsed key by key, and given back as the same RDB
 * or as {@code RESTORE} commands into a live server.
 *
 * <p>Nouns: an <b>RDB</b> is Redis's snapshot file ({@link RdbParser} walks it once, in bounded
 * memory, checking its {@link Crc64}); a <b>key record</b> ({@link RdbKey}) is one key's bytes in
 * it, from its expiry opcode to the end of its value; the <b>key index</b> ({@link KeyIndex}) is
 * the list of key records, stored beside the RDB in the snapshot as {@code .arca/keys}; a
 * <b>DUMP payload</b> ({@link DumpPayload}) is what {@code RESTORE} takes: a key record's type
 * byte and value, the RDB version and a CRC64.
 */
package dev.arca.engine.redis;
