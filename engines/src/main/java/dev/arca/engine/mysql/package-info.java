/**
 * The MySQL/MariaDB engine: logical (or physical) full backups and binlog capture from a live
 * server, point-in-time restore into a new instance, table-level restore, and a primary/replica
 * consistency check.
 *
 * <ul>
 *   <li><b>Server</b>: reached through a {@link MysqlUri} ({@code mysql://user[:password]@host:port});
 *       arca runs the server's own client tools ({@link Tools}) with the password in
 *       {@code MYSQL_PWD}, never on a command line.</li>
 *   <li><b>Full snapshot</b> (type {@code full}): the native output of {@code mariadb-dump} (file
 *       {@code dump.sql}) or of {@code mariadb-backup --stream=xbstream} (file
 *       {@code backup.xbstream}), stored verbatim; its engine metadata holds the binlog coordinates
 *       (file, position, GTID) the dump is consistent with ({@link MysqlBackup}).</li>
 *   <li><b>Binlog snapshot</b> (type {@code binlog}): the server's binlog files in their original
 *       bytes under {@code binlog/}, from the file the previous capture ended in to the current end;
 *       every event's CRC32 is checked ({@link BinlogVerifier}, {@link BinlogCapture}).</li>
 *   <li><b>Point in time</b>: the latest full snapshot before a second plus the binlogs replayed from
 *       its coordinates up to that second ({@link PitrRestore}); {@link MariadbInstance} runs the new
 *       server.</li>
 *   <li>{@link TableRestore} replays chosen tables of a dump into a database;
 *       {@link ReplicaVerify} compares two servers by chunked row checksums.</li>
 * </ul>
 */
package dev.arca.engine.mysql;
