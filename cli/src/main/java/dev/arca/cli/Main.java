package dev.arca.cli;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.MissingObjectException;
import dev.arca.format.NoRepositoryException;
import dev.arca.format.RepositoryExistsException;
import dev.arca.format.WrongPasswordException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** Entry point: runs one command and maps what it threw to an exit code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(Context.system(), args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs {@code args} in {@code context}; returns the exit code. */
    public static int run(Context context, String... args) {
        CommandLine cl = new CommandLine(new Arca(context));
        cl.setOut(new java.io.PrintWriter(context.out(), true));
        cl.setErr(new java.io.PrintWriter(context.err(), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpLongOptionsMaxWidth(30);
        cl.setParameterExceptionHandler((ex, a) -> {
            context.err().println("arca: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, context.err());
            context.err().println("Try 'arca " + ex.getCommandLine().getCommandName().replace("arca", "").trim()
                    + (ex.getCommandLine().getCommandName().equals("arca") ? "" : " ") + "--help' for usage.");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(context, ex));
        documentExitCodes(cl);
        return cl.execute(args);
    }

    /** Every command's help lists the exit codes. */
    private static void documentExitCodes(CommandLine cl) {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        for (String line : ExitCodes.HELP) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) {
            documentExitCodes(sub);
        }
    }

    static int handle(Context context, Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof CommandFailure f) {
            if (f.getMessage() != null) {
                context.err().println("arca: " + f.getMessage());
            }
            return f.exitCode();
        }
        context.err().println("arca: " + message(t));
        if (t instanceof WrongPasswordException) {
            return ExitCodes.WRONG_PASSWORD;
        }
        if (t instanceof dev.arca.format.LockedException) {
            return ExitCodes.LOCKED;
        }
        if (t instanceof NoRepositoryException) {
            return ExitCodes.NO_REPOSITORY;
        }
        if (t instanceof dev.arca.format.NoSuchSnapshotException) {
            return ExitCodes.ERROR;
        }
        if (t instanceof CorruptObjectException || t instanceof MissingObjectException) {
            return ExitCodes.INTEGRITY;
        }
        if (t instanceof RepositoryExistsException) {
            return ExitCodes.ERROR;
        }
        if (t instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        if (t instanceof IOException) {
            return ExitCodes.ERROR;
        }
        t.printStackTrace(context.err());
        return ExitCodes.ERROR;
    }

    static String message(Throwable t) {
        if (t instanceof NoSuchFileException n) {
            return n.getFile() + ": " + (n.getReason() != null ? n.getReason() : "no such file or directory");
        }
        if (t instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        String m = t.getMessage();
        return m != null ? m : t.getClass().getSimpleName();
    }
}
