/**
 * The local blob index and whole-repository work over sets of blobs.
 *
 * <p>{@link dev.arca.index.LmdbBlobIndex} is the {@link dev.arca.format.index.BlobIndex} arca
 * uses: an LMDB database under the cache directory, one per repository id, synced from the
 * repository's index files and rebuilt from them when missing or stale. {@link
 * dev.arca.index.Checker} verifies a repository; {@link dev.arca.index.Stats} measures one;
 * {@link dev.arca.index.Copier} copies snapshots to a repository that shares the chunker and id
 * keys, and {@link dev.arca.index.Mirror} mirrors a repository file by file without keys. Sets of
 * blobs (referenced, visited) are roaring bitmaps over the index's blob ordinals, so their memory
 * grows with the set's density, not with 32-byte ids.
 */
package dev.arca.index;
