/**
 * The {@code arca} command line: one class per command. A command parses its options, resolves
 * the repository through {@link dev.arca.cli.RepositoryLocator}, calls the engines and renders
 * text or JSON; nothing else. {@link dev.arca.cli.Context} carries the process environment and
 * streams so the whole CLI can run in a test JVM.
 */
package dev.arca.cli;
