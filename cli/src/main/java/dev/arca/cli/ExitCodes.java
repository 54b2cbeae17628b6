package dev.arca.cli;

/** The exit codes of every command, as documented in {@code --help}. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int PARTIAL = 3;
    public static final int NO_REPOSITORY = 10;
    public static final int LOCKED = 11;
    public static final int WRONG_PASSWORD = 12;
    public static final int INTEGRITY = 20;

    /** The list picocli prints under "Exit codes". */
    public static final String[] HELP = {
        "0:success",
        "1:error",
        "2:wrong usage (unknown option, bad argument)",
        "3:partial success: some files could not be read or written (listed on stderr)",
        "10:no repository at the location",
        "11:the repository is locked by an exclusive operation",
        "12:wrong password",
        "20:integrity error: a corrupt or missing object was found (named on stderr)",
    };

    private ExitCodes() {
    }
}
