/**
 * The RocksDB engine: RocksDB backups kept in an arca repository.
 *
 * <p>Nouns: a <em>database</em> is known by its name; its <em>backups</em> are numbered 1, 2, 3…
 * as RocksDB's BackupEngine numbers them, and each backup is one arca snapshot (engine
 * {@code rocksdb}). A snapshot's tree has the layout of a BackupEngine directory holding that one
 * backup ({@code meta/<id>}, {@code private/<id>/…}, {@code shared_checksum/…}), so the native
 * bytes come back verbatim and RocksDB's own tools accept them. The <em>meta file</em>
 * ({@link dev.arca.engine.rocksdb.BackupMeta}) lists every file with its CRC-32C; its text is also
 * in the snapshot's engine metadata. The <em>live set</em> of a closed database comes from
 * CURRENT and the MANIFEST ({@link dev.arca.engine.rocksdb.ManifestReader}).
 *
 * <p>Entry points: {@link dev.arca.engine.rocksdb.ArcaBackupEngine} (read-write) and
 * {@link dev.arca.engine.rocksdb.ArcaBackupEngineReadOnly}.
 */
package dev.arca.engine.rocksdb;
