package io.github.rtmpedge.edge.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The arguments of {@code java -jar edge-server.jar}, parsed without side effects (nothing is read,
 * logged or opened here): what to do, and with which configuration file.
 *
 * @param action what was asked for
 * @param configFile {@code -c FILE}, if given
 * @param rest the arguments after {@code token}, for {@link Action#TOKEN}
 * @param problem what is wrong with the arguments, for {@link Action#USAGE_ERROR}
 */
public record CommandLine(Action action, Optional<Path> configFile, List<String> rest, String problem) {

    /** What the process does. */
    public enum Action {
        /** Run the server (the default). */
        SERVE,
        /** {@code -t}: check the configuration, list every problem, exit 0 or 1; open no port. */
        CHECK,
        /** {@code -T}: as {@link #CHECK}, and print the effective configuration. */
        CHECK_AND_DUMP,
        /** {@code --version}. */
        VERSION,
        /** {@code -h}, {@code --help}. */
        HELP,
        /** {@code token ...}: mint a signed stream token. */
        TOKEN,
        /** The arguments make no sense: print {@link CommandLine#problem()} and the usage, exit 2. */
        USAGE_ERROR
    }

    public static final String USAGE = String.join(
            "\n",
            "usage: java -jar edge-server.jar [-c FILE]          run the server",
            "       java -jar edge-server.jar -t [-c FILE]       check the configuration: list every problem, exit 0 or 1",
            "       java -jar edge-server.jar -T [-c FILE]       as -t, and print the effective configuration",
            "       java -jar edge-server.jar --version          print the version",
            "       java -jar edge-server.jar token --help       mint a signed stream token (security.token_secrets)");

    /** Parses {@code args}; never fails (a bad command line is {@link Action#USAGE_ERROR}). */
    public static CommandLine parse(String... args) {
        if (args.length > 0 && args[0].equals("token")) {
            return new CommandLine(
                    Action.TOKEN,
                    Optional.empty(),
                    List.copyOf(Arrays.asList(args).subList(1, args.length)),
                    null);
        }
        Optional<Path> file = Optional.empty();
        Action action = Action.SERVE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-c", "--config" -> {
                    if (i + 1 >= args.length) {
                        return error(args[i] + " needs a file");
                    }
                    file = Optional.of(Path.of(args[++i]));
                }
                case "-t", "--test" -> action = action == Action.CHECK_AND_DUMP ? action : Action.CHECK;
                case "-T", "--test-dump" -> action = Action.CHECK_AND_DUMP;
                case "-v", "--version" -> {
                    return new CommandLine(Action.VERSION, Optional.empty(), List.of(), null);
                }
                case "-h", "--help" -> {
                    return new CommandLine(Action.HELP, Optional.empty(), List.of(), null);
                }
                default -> {
                    return error("unknown argument: " + args[i]);
                }
            }
        }
        return new CommandLine(action, file, List.of(), null);
    }

    private static CommandLine error(String problem) {
        return new CommandLine(Action.USAGE_ERROR, Optional.empty(), List.of(), problem);
    }
}
