/**
 * A repository as one read-only virtual filesystem, without FUSE.
 *
 * <ul>
 *   <li>{@link dev.arca.nio.RepositoryTree}: the tree itself. {@code /snapshots/<id>/...} is every
 *       snapshot by full id (a unique prefix of at least 4 hex digits resolves too),
 *       {@code /latest/<host>/...} the newest snapshot of each host. Engine snapshots that have a
 *       {@link dev.arca.engine.RecordView} show it as {@code records/} in their root.</li>
 *   <li>{@link dev.arca.nio.VEntry}: one entry of that tree (a snapshot's tree node, a record, or
 *       one of the synthetic directories).</li>
 *   <li>{@link dev.arca.nio.ContentChannel}: a file's content as a seekable channel that loads
 *       only the blob holding the position.</li>
 *   <li>{@link dev.arca.nio.ArcaFileSystemProvider}: the same tree for Java programs through
 *       {@code java.nio.file}, scheme {@code arca}.</li>
 * </ul>
 */
package dev.arca.nio;
