/**
 * Engines: what gets backed up and restored, in the idiom of each system. An engine reads and
 * writes blobs, trees and snapshots only through {@link dev.arca.format.repo.Repository}; it never
 * touches packs, keys or the storage backend.
 */
package dev.arca.engine;
