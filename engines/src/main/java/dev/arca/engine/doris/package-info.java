/**
 * The Doris engine: Apache Doris backup repositories ({@code BACKUP SNAPSHOT … TO repo}) in and
 * out, each Doris snapshot one arca snapshot, so Doris' full-only backups are stored like
 * incremental ones.
 *
 * <ul>
 *   <li><b>Repository</b>: a {@code __palo_repository_<name>} directory with {@code __repo_info}
 *       and one {@code __ss_<label>} directory per Doris snapshot ({@link DorisLayout} holds the
 *       names).</li>
 *   <li><b>Md5 name</b>: every file below {@code __ss_<label>} is named {@code <name>.<md5hex>}
 *       ({@link Md5Name}); the md5 is checked on the way in and on the way out.</li>
 *   <li><b>Job info</b>: the {@code __info_<yyyy-MM-dd-HH-mm-ss>.<md5>} JSON that lists the
 *       databases' tables, partitions, indexes and tablets with their files ({@link JobInfo}); it
 *       becomes the arca snapshot's engine metadata.</li>
 *   <li>{@link DorisBackup} ingests snapshot directories (each through a {@link SnapshotIngest});
 *       {@link DorisRestore} writes them back,
 *       whole or per table and partition, never overwriting a different file;
 *       {@link DorisSnapshot} reads what a stored snapshot holds.</li>
 * </ul>
 *
 * <p>Native bytes are stored verbatim; {@code __meta} and the tablet files are opaque.
 */
package dev.arca.engine.doris;
