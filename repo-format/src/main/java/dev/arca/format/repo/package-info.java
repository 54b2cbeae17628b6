/**
 * The repository facade: {@link dev.arca.format.repo.Repository} opens or creates a repository,
 * reads snapshots, trees and blobs, and hands out a {@link dev.arca.format.repo.BlobWriter} per
 * writing session, which packs new blobs, stores packs, then index files; the caller stores the
 * snapshot last (spec §13).
 */
package dev.arca.format.repo;
