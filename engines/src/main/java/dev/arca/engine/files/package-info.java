/**
 * The files engine: directories, stdin and a command's output in; directories and tar/zip
 * streams out.
 *
 * <ul>
 *   <li>{@link dev.arca.engine.files.FileBackup}: walks paths, skips files unchanged since the
 *       parent snapshot, chunks and stores the rest in parallel, writes one tree per directory
 *       and the snapshot last.</li>
 *   <li>{@link dev.arca.engine.files.StreamBackup}: one stream (stdin or a command) as a single
 *       file.</li>
 *   <li>{@link dev.arca.engine.files.Restorer}: writes a snapshot's files in parallel, reading
 *       each pack range once, never outside the target.</li>
 *   <li>{@link dev.arca.engine.files.SnapshotWalker}, {@link dev.arca.engine.files.TreeDiff},
 *       {@link dev.arca.engine.files.SnapshotDiff}, {@link dev.arca.engine.files.ArchiveWriter}:
 *       browsing.</li>
 * </ul>
 */
package dev.arca.engine.files;
