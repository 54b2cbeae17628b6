package dev.arca.cli.commands;

import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.RepositoryLocator;
import dev.arca.format.backend.Backend;
import dev.arca.format.repo.Repository;
import java.nio.file.Files;
import java.security.SecureRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", description = {
    "Create a new repository at the location (-r or $ARCA_REPOSITORY), which must be empty or absent.",
    "A location is a directory, or s3:http[s]://host:port/bucket/prefix for an S3-compatible store "
            + "(credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS profile files; "
            + "AWS_REGION, default us-east-1).",
    "",
    "Examples:",
    "  ARCA_PASSWORD_FILE=~/.arca-pw arca init -r /srv/backup",
    "  arca init -r s3:https://s3.example.net:9000/backups/site-b",
    "  ARCA_FROM_PASSWORD_FILE=~/.pw-a arca init -r /mnt/site-b --copy-params-from /srv/backup"})
public final class InitCommand extends RepoCommand {
    @Option(names = "--copy-params-from", paramLabel = "LOCATION",
            description = "Share the chunker secret, chunker parameters, pack size and blob-id key of the repository "
                    + "at LOCATION, so that 'arca copy' between the two stores only what the other lacks, without "
                    + "re-chunking. The new repository gets its own id, encryption key and password. "
                    + "Example: --copy-params-from /srv/backup")
    String copyParamsFrom;

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "The password of the --copy-params-from repository (default: $ARCA_FROM_PASSWORD_FILE, "
                    + "$ARCA_FROM_PASSWORD, or a prompt).")
    String fromPasswordFile;

    @Override
    public Integer call() throws Exception {
        RepositoryLocator loc = root.locator();
        Repository.InitOptions options = Repository.InitOptions.defaults(Hosts.hostname(), Hosts.user(ctx()));
        String sharedWith = null;
        if (copyParamsFrom != null) {
            RepositoryLocator from = loc.other(copyParamsFrom, fromPasswordFile, "ARCA_FROM", "--from-password-file");
            try (Repository source = from.open()) {
                options = new Repository.InitOptions(source.config().chunkerParams(), source.config().packSize,
                        options.kdf(), options.host(), options.user(), source.keys());
                sharedWith = source.backend().location();
            }
        }
        Backend backend = loc.backend();
        char[] pw = loc.newPassword("the new repository's password");
        if (loc.isLocal()) {
            Files.createDirectories(loc.location());
        }
        try (Repository repo = Repository.init(backend, pw, options, loc.indexFactory(), new SecureRandom())) {
            if (root.json()) {
                var o = Output.object().put("message_type", "initialized").put("id", repo.id())
                        .put("repository", backend.location());
                if (sharedWith != null) {
                    o.put("chunker_params_from", sharedWith);
                }
                ctx().out().println(Output.json(o));
            } else if (!root.quiet()) {
                ctx().out().println("created arca repository " + repo.id().substring(0, 10) + " at " + backend.location());
                if (sharedWith != null) {
                    ctx().out().println("It shares chunker parameters and blob ids with " + sharedWith
                            + ": copies between them send only what the other lacks.");
                }
                ctx().out().println("Without its password the data in it cannot be read: keep the password safe.");
            }
        }
        return 0;
    }
}
