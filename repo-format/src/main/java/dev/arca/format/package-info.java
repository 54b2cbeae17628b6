/**
 * The bytes an arca repository holds at rest, and the facade that reads and writes them.
 *
 * <p>Nouns, bottom up (the grammar of each is in {@code spec/FORMAT.md}):
 * <ul>
 *   <li>{@code id}: {@link dev.arca.format.id.BlobId} (keyed hash of a blob's plaintext) and
 *       {@link dev.arca.format.id.FileId} (SHA-256 of a stored file, its name).</li>
 *   <li>{@code crypto}: master keys, password-wrapped key files, the segmented AEAD that seals
 *       every stored byte.</li>
 *   <li>{@code backend}: the storage SPI (named files, atomic writes) and its implementations.</li>
 *   <li>{@code pack}: files of sealed blobs with a sealed header at the end.</li>
 *   <li>{@code index}: index files (blob → pack location) and the {@code BlobIndex} SPI that
 *       answers lookups.</li>
 *   <li>{@code tree}, {@code snapshot}: directories and backups.</li>
 *   <li>{@code repo}: {@link dev.arca.format.repo.Repository}, the only entry point the engines
 *       use.</li>
 * </ul>
 * Errors are typed {@link java.io.IOException}s in this package: corrupt, missing, unsupported
 * version, wrong password, no repository, each naming the object it is about.
 */
package dev.arca.format;
