package dev.arca.cli.commands;

import dev.arca.cli.Hosts;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --tag} and {@code --host} of the commands that make snapshots (a picocli mixin). */
public final class OriginOptions {
    @Option(names = "--tag", paramLabel = "TAG", description = "Add a tag to the snapshot (repeatable), e.g. --tag daily.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--host", paramLabel = "HOST",
            description = "Record this host name instead of the machine's, e.g. --host db1.")
    String host;

    /** The host name to record: {@code --host}, else the machine's. */
    public String host() {
        return host != null ? host : Hosts.hostname();
    }

    public List<String> tags() {
        return tags;
    }
}
