package dev.arca.cli;

import dev.arca.format.NoRepositoryException;
import dev.arca.format.backend.Backend;
import dev.arca.format.backend.LocalBackend;
import dev.arca.format.repo.Repository;
import dev.arca.index.LmdbBlobIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Finds the repository, its password and the local cache from options, environment and the
 * defaults, and opens (or creates) the repository.
 *
 * <p>Password sources, first match wins: {@code --password-file}, {@code ARCA_PASSWORD_FILE},
 * {@code ARCA_PASSWORD}, the embedded default repository's own password file, a prompt on the
 * terminal.
 */
public final class RepositoryLocator {
    private final Context ctx;
    private final String repoOption;
    private final String passwordFileOption;
    private final String cacheDirOption;
    /** {@code ARCA} for the repository a command works on; {@code ARCA_TO}, {@code ARCA_FROM} for others. */
    private final String envPrefix;
    private final String passwordFileFlag;
    private Backend backend;

    RepositoryLocator(Context ctx, String repoOption, String passwordFileOption, String cacheDirOption) {
        this(ctx, repoOption, passwordFileOption, cacheDirOption, "ARCA", "--password-file");
    }

    private RepositoryLocator(Context ctx, String repoOption, String passwordFileOption, String cacheDirOption,
                              String envPrefix, String passwordFileFlag) {
        this.ctx = ctx;
        this.repoOption = repoOption;
        this.passwordFileOption = passwordFileOption;
        this.cacheDirOption = cacheDirOption;
        this.envPrefix = envPrefix;
        this.passwordFileFlag = passwordFileFlag;
    }

    /**
     * A locator for a second repository of a command ({@code copy --to}, {@code init
     * --copy-params-from}): its password comes from {@code passwordFileFlag}, then
     * {@code <envPrefix>_PASSWORD_FILE}, then {@code <envPrefix>_PASSWORD}, then a prompt; it shares
     * this locator's cache directory.
     */
    public RepositoryLocator other(String location, String passwordFile, String envPrefix, String passwordFileFlag) {
        return new RepositoryLocator(ctx, location, passwordFile, cacheDirOption, envPrefix, passwordFileFlag);
    }

    /** Whether neither {@code -r} nor {@code ARCA_REPOSITORY} names a repository. */
    public boolean usesDefault() {
        return repoOption == null && (!envPrefix.equals("ARCA") || ctx.env("ARCA_REPOSITORY") == null);
    }

    public Path defaultRepository() {
        String data = ctx.env("XDG_DATA_HOME");
        return (data != null ? Path.of(data) : ctx.home().resolve(".local/share")).resolve("arca/repository");
    }

    private Path defaultPasswordFile() {
        String config = ctx.env("XDG_CONFIG_HOME");
        return (config != null ? Path.of(config) : ctx.home().resolve(".config")).resolve("arca/default-repository.password");
    }

    public Path location() {
        if (repoOption != null) {
            return ctx.path(repoOption);
        }
        String env = ctx.env("ARCA_REPOSITORY");
        return env != null ? ctx.path(env) : defaultRepository();
    }

    /** The location as given, or null for the embedded default. */
    private String given() {
        return repoOption != null || !envPrefix.equals("ARCA") ? repoOption : ctx.env("ARCA_REPOSITORY");
    }

    /** Whether the repository is a directory on this machine (not an object store). */
    public boolean isLocal() {
        return given() == null || Locations.isLocal(given());
    }

    /** The repository's backend (see {@link Locations}), opened once per locator. */
    public synchronized Backend backend() throws IOException {
        if (backend == null) {
            String loc = given();
            backend = loc == null
                    ? Locations.open(ctx, location().toString())
                    : Locations.open(ctx, loc);
        }
        return backend;
    }

    /** The location as shown to people and used to key the local cache. */
    private String displayLocation() {
        String loc = given();
        if (loc == null || Locations.isLocal(loc)) {
            return new LocalBackend(loc != null && loc.startsWith("local:") ? ctx.path(loc.substring(6)) : location())
                    .location();
        }
        return loc;
    }

    public Path cacheDir() {
        if (cacheDirOption != null) {
            return ctx.path(cacheDirOption);
        }
        String env = ctx.env("ARCA_CACHE_DIR");
        if (env != null) {
            return ctx.path(env);
        }
        String xdg = ctx.env("XDG_CACHE_HOME");
        return (xdg != null ? Path.of(xdg) : ctx.home().resolve(".cache")).resolve("arca");
    }

    /**
     * The local index lives under the cache directory by repository id and location: copies of a
     * repository share the id, and one copy's cache must never vouch for blobs only the other has.
     */
    public Repository.IndexFactory indexFactory() {
        Path cache = cacheDir();
        String where = dev.arca.format.id.FileId.of(displayLocation().getBytes(StandardCharsets.UTF_8)).shortHex();
        return id -> LmdbBlobIndex.open(cache.resolve(id).resolve("index-" + where));
    }

    /** The password from the non-interactive sources, or null. */
    char[] configuredPassword() throws IOException {
        String file = passwordFileOption != null ? passwordFileOption : ctx.env(envPrefix + "_PASSWORD_FILE");
        if (file != null) {
            String s = Files.readString(ctx.path(file), StandardCharsets.UTF_8);
            return stripNewline(s).toCharArray();
        }
        String pw = ctx.env(envPrefix + "_PASSWORD");
        if (pw != null) {
            return pw.toCharArray();
        }
        if (usesDefault() && envPrefix.equals("ARCA") && Files.exists(defaultPasswordFile())) {
            return stripNewline(Files.readString(defaultPasswordFile(), StandardCharsets.UTF_8)).toCharArray();
        }
        return null;
    }

    private static String stripNewline(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** The password for opening: configured, or asked for on the terminal. */
    public char[] password() throws IOException {
        char[] pw = configuredPassword();
        if (pw != null) {
            return pw;
        }
        if (ctx.terminal() && System.console() != null) {
            char[] typed = System.console().readPassword("password for %s: ", displayLocation());
            if (typed != null) {
                return typed;
            }
        }
        throw new CommandFailure(ExitCodes.ERROR, "no password given for " + displayLocation() + ": set "
                + envPrefix + "_PASSWORD or " + envPrefix + "_PASSWORD_FILE, or use " + passwordFileFlag);
    }

    /** A password for a new key, asked twice on a terminal. */
    public char[] newPassword(String what) throws IOException {
        char[] pw = configuredPassword();
        if (pw != null) {
            return pw;
        }
        if (ctx.terminal() && System.console() != null) {
            char[] a = System.console().readPassword("enter %s: ", what);
            char[] b = System.console().readPassword("enter %s again: ", what);
            if (a != null && java.util.Arrays.equals(a, b)) {
                if (a.length == 0) {
                    throw new CommandFailure(ExitCodes.USAGE, "an empty password is not allowed");
                }
                return a;
            }
            throw new CommandFailure(ExitCodes.USAGE, "the passwords do not match");
        }
        throw new CommandFailure(ExitCodes.ERROR, "no password given for " + displayLocation() + ": set "
                + envPrefix + "_PASSWORD or " + envPrefix + "_PASSWORD_FILE, or use " + passwordFileFlag);
    }

    /**
     * Opens the repository. The embedded default repository is created on first use, with a
     * random password stored (mode 0600) in the user's config directory unless one is configured.
     */
    public Repository open() throws IOException {
        Backend backend = backend();
        if (usesDefault() && !Repository.exists(backend)) {
            return createDefault(backend);
        }
        if (!Repository.exists(backend)) {
            throw new NoRepositoryException("no arca repository at " + backend.location()
                    + " (create one with 'arca init -r " + backend.location() + "')");
        }
        return Repository.open(backend, password(), indexFactory(), new SecureRandom());
    }

    private Repository createDefault(Backend backend) throws IOException {
        char[] pw = configuredPassword();
        if (pw == null) {
            byte[] raw = new byte[24];
            new SecureRandom().nextBytes(raw);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Path file = defaultPasswordFile();
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            pw = generated.toCharArray();
            ctx.err().println("arca: created the default repository at " + backend.location()
                    + "; its password is in " + file + " (keep a copy elsewhere: without it the backups cannot be read)");
        } else {
            ctx.err().println("arca: created the default repository at " + backend.location());
        }
        Files.createDirectories(location());
        return Repository.init(backend, pw, Repository.InitOptions.defaults(Hosts.hostname(), Hosts.user(ctx)),
                indexFactory(), new SecureRandom());
    }
}
