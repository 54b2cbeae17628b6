/**
 * Redis 7 multi-part AOF directories: backup that stores only what was appended, and
 * point-in-time restore from {@code #TS:} annotations.
 *
 * <ul>
 *   <li>{@link dev.arca.engine.redis.aof.AofManifest}: the {@code <appendfilename>.manifest} file, one
 *       line per file ({@code file NAME seq N type b|h|i}).</li>
 *   <li>{@link dev.arca.engine.redis.aof.RespScanner}: finds command boundaries, {@code #TS:} annotations,
 *       MULTI blocks and a torn tail in an AOF file, passing its bytes through unchanged.</li>
 *   <li>{@link dev.arca.engine.redis.aof.AofChunker}: content-defined chunks that end on command
 *       boundaries, so a file that only grew deduplicates its unchanged prefix.</li>
 *   <li>{@link dev.arca.engine.redis.aof.AofBackup} and {@link dev.arca.engine.redis.aof.AofRestore}:
 *       the engine's source and sink (snapshots of engine {@code redis}, metadata {@code source: "aof"}).</li>
 * </ul>
 */
package dev.arca.engine.redis.aof;
