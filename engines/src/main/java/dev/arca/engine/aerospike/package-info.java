/**
 * The Aerospike engine: {@code asbackup} text files ({@code .asb}, format versions 3.0 and 3.1) stored
 * verbatim and chunked on record starts, given back byte for byte or as a filtered, renamed or merged
 * stream for {@code asrestore}.
 *
 * <p>Nouns: an {@link dev.arca.engine.aerospike.AsbParser} reads one file as a sequence of
 * {@link dev.arca.engine.aerospike.AsbItem}s (meta lines, secondary indexes, UDFs, records); an
 * {@link dev.arca.engine.aerospike.AsbWriter} writes items back in the same grammar; an
 * {@link dev.arca.engine.aerospike.AsbChunker} cuts a file into chunks that start at record starts;
 * {@link dev.arca.engine.aerospike.AerospikeBackup} and {@link dev.arca.engine.aerospike.AerospikeRestore}
 * are what the command line calls.
 */
package dev.arca.engine.aerospike;
