/**
 * Content-defined chunking.
 *
 * <p>A <b>chunker</b> cuts a byte stream into <b>chunks</b> whose boundaries depend only on the
 * content near them, so an insertion early in a file moves the boundaries next to it and no
 * others. arca uses FastCDC with normalized chunking: a 64-bit gear hash over the last 64 bytes,
 * a harder cut condition before the average size and an easier one after it.
 *
 * <p>The <b>gear table</b> ({@link dev.arca.chunker.GearTable}) is derived from a per-repository
 * secret, so two repositories cut the same data differently. {@link dev.arca.chunker.ChunkerParams}
 * holds the minimum, average and maximum chunk sizes, which are stored in the repository config.
 * {@link dev.arca.chunker.FastCdc} decides one cut over a byte array; {@link
 * dev.arca.chunker.StreamChunker} applies it to a stream with bounded memory.
 *
 * <p>The algorithm is fixed by {@code spec/FORMAT.md} §12 under the name {@code fastcdc-v1}:
 * changing a single decision changes every chunk boundary and with it deduplication against all
 * data already stored, so it changes only with a new algorithm name.
 */
package dev.arca.chunker;
