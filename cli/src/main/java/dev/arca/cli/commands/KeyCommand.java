package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arca.cli.Arca;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.KeyInfo;
import dev.arca.format.repo.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "key", description = {
    "Manage the repository's keys: each key file holds the repository's keys wrapped by one password, "
            + "so several people or machines can each have their own password.",
    "",
    "Examples:",
    "  arca key list",
    "  arca key add --new-password-file ~/.arca-pw-ops",
    "  arca key remove 3e5d81aa",
    "  arca key passwd --new-password-file ~/.arca-pw-new"},
        subcommands = {KeyCommand.ListKeys.class, KeyCommand.Add.class, KeyCommand.Remove.class, KeyCommand.Passwd.class})
public final class KeyCommand implements Runnable {
    @ParentCommand
    Arca root;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "choose one of: list, add, remove, passwd");
    }

    /** Base of the key subcommands. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        KeyCommand parent;

        Arca root() {
            return parent.root;
        }

        Repository open() throws Exception {
            return root().locator().open();
        }
    }

    /** Subcommands that set a new password. */
    abstract static class NewPassword extends Sub {
        @Option(names = "--new-password-file", paramLabel = "FILE",
                description = "Read the new password from FILE (otherwise it is asked for twice on the terminal).")
        String newPasswordFile;

        char[] newPassword() throws Exception {
            if (newPasswordFile != null) {
                String s = Files.readString(root().context().path(newPasswordFile), StandardCharsets.UTF_8);
                s = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
                if (s.isEmpty()) {
                    throw new CommandFailure(ExitCodes.USAGE, newPasswordFile + " is empty");
                }
                return s.toCharArray();
            }
            if (root().context().terminal() && System.console() != null) {
                char[] a = System.console().readPassword("new password: ");
                char[] b = System.console().readPassword("new password again: ");
                if (a != null && a.length > 0 && java.util.Arrays.equals(a, b)) {
                    return a;
                }
                throw new CommandFailure(ExitCodes.USAGE, "the passwords are empty or do not match");
            }
            throw new CommandFailure(ExitCodes.USAGE, "give the new password with --new-password-file");
        }
    }

    @Command(name = "list", description = "List key files; '*' marks the one that opened the repository.")
    static final class ListKeys extends Sub {
        @Override
        public Integer call() throws Exception {
            try (Repository repo = open()) {
                var keys = repo.listKeys();
                if (root().json()) {
                    ArrayNode arr = Output.JSON.createArrayNode();
                    for (KeyInfo k : keys) {
                        var o = Output.object().put("id", k.id().hex()).put("current", k.current())
                                .put("created", k.created()).put("host", k.host()).put("user", k.user());
                        if (k.problem() != null) {
                            o.put("problem", k.problem());
                        }
                        arr.add(o);
                    }
                    root().context().out().println(Output.json(arr));
                } else {
                    var out = root().context().out();
                    out.printf(" %-10s %-12s %-20s %s%n", "ID", "User", "Host", "Created");
                    for (KeyInfo k : keys) {
                        if (k.problem() != null) {
                            out.printf(" %-10s damaged: %s%n", k.id().shortHex(), k.problem());
                        } else {
                            out.printf("%s%-10s %-12s %-20s %s%n", k.current() ? "*" : " ", k.id().shortHex(), k.user(),
                                    k.host(), k.created());
                        }
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "add", description = "Add a key for a new password; the current password keeps working.")
    static final class Add extends NewPassword {
        @Override
        public Integer call() throws Exception {
            try (Repository repo = open()) {
                FileId id = repo.addKey(newPassword(), KdfParams.DEFAULT, Hosts.hostname(), Hosts.user(root().context()));
                print("added key " + id.shortHex(), id);
                return 0;
            }
        }

        void print(String text, FileId id) {
            if (root().json()) {
                root().context().out().println(Output.json(Output.object().put("id", id.hex())));
            } else if (!root().quiet()) {
                root().context().out().println(text);
            }
        }
    }

    @Command(name = "remove", description = "Remove a key file (not the one in use).")
    static final class Remove extends Sub {
        @Parameters(paramLabel = "ID", description = "Key id or unique prefix (see 'arca key list').")
        String id;

        @Override
        public Integer call() throws Exception {
            try (Repository repo = open()) {
                KeyInfo match = null;
                for (KeyInfo k : repo.listKeys()) {
                    if (k.id().hex().startsWith(id)) {
                        if (match != null) {
                            throw new IllegalArgumentException("key prefix '" + id + "' is ambiguous");
                        }
                        match = k;
                    }
                }
                if (match == null) {
                    throw new CommandFailure(ExitCodes.ERROR, "no key " + id);
                }
                if (match.current()) {
                    throw new CommandFailure(ExitCodes.ERROR, "key " + match.id().shortHex()
                            + " opened this session; remove it with another password");
                }
                repo.removeKey(match.id());
                if (!root().quiet() && !root().json()) {
                    root().context().out().println("removed key " + match.id().shortHex());
                }
                return 0;
            }
        }
    }

    @Command(name = "passwd", description = "Change the password of the key in use (a new key replaces it).")
    static final class Passwd extends NewPassword {
        @Override
        public Integer call() throws Exception {
            try (Repository repo = open()) {
                FileId id = repo.changePassword(newPassword(), KdfParams.DEFAULT, Hosts.hostname(),
                        Hosts.user(root().context()));
                if (root().json()) {
                    root().context().out().println(Output.json(Output.object().put("id", id.hex())));
                } else if (!root().quiet()) {
                    root().context().out().println("password changed; new key " + id.shortHex());
                }
                return 0;
            }
        }
    }
}
