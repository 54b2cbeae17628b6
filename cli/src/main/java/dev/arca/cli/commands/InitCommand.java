package dev.arca.cli.commands;

import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.RepositoryLocator;
import dev.arca.format.backend.Backend;
import dev.arca.format.repo.Repository;
import java.nio.file.Files;
import java.security.SecureRandom;
import picocli.CommandLine.Command;

@Command(name = "init", description = {
    "Create a new repository at the location (-r or $ARCA_REPOSITORY), which must be empty or absent.",
    "",
    "Example:  ARCA_PASSWORD_FILE=~/.arca-pw arca init -r /srv/backup"})
public final class InitCommand extends RepoCommand {
    @Override
    public Integer call() throws Exception {
        RepositoryLocator loc = root.locator();
        Backend backend = loc.backend();
        char[] pw = loc.newPassword("the new repository's password");
        Files.createDirectories(loc.location());
        try (Repository repo = Repository.init(backend, pw, Repository.InitOptions.defaults(Hosts.hostname(),
                Hosts.user(ctx())), loc.indexFactory(), new SecureRandom())) {
            if (root.json()) {
                ctx().out().println(Output.json(Output.object().put("message_type", "initialized")
                        .put("id", repo.id()).put("repository", backend.location())));
            } else if (!root.quiet()) {
                ctx().out().println("created arca repository " + repo.id().substring(0, 10) + " at " + backend.location());
                ctx().out().println("Without its password the data in it cannot be read: keep the password safe.");
            }
        }
        return 0;
    }
}
