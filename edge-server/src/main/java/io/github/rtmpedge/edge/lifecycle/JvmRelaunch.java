package io.github.rtmpedge.edge.lifecycle;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server's own JVM memory defaults for a plain {@code java -jar edge-server.jar}.
 *
 * <p>Left to itself the JVM sizes the heap for the machine, not for the edge: its start is 1/64 of
 * the RAM and its ceiling a quarter, and G1 spreads short-lived garbage over as much of that as it
 * likes, so a process holding 40 MB of live objects grows to several hundred MB of RSS and keeps it.
 * Those sizes can only be set when a JVM starts, so when the user has chosen none, the server
 * replaces its JVM, in the same process (execve, so the process id, the standard streams and whoever
 * waits on or signals the process stay the same), with one started with {@link #FLAGS} in front of
 * its own arguments. Anyone who sets heap or GC flags themselves (the Docker image does) keeps
 * exactly what they set; {@code RTMPEDGE_JVM_DEFAULTS=off} keeps the JVM's own sizing.
 */
public final class JvmRelaunch {

    /** {@code off} keeps the JVM's own sizing; the relaunched JVM finds {@value #APPLIED} here. */
    public static final String ENV = "RTMPEDGE_JVM_DEFAULTS";

    static final String APPLIED = "applied";

    /**
     * Why each (measured with edge-bench/compare-edges.sh at 2000 and 5000 players of a 2.1 Mbps
     * stream; live data grows with players, about 6 KiB each, garbage with the bitrate):
     * <ul>
     *   <li>Serial GC: no concurrent threads, remembered sets or per-region tables. Its young pauses
     *       were 2-15 ms and its full ones 50-120 ms every few seconds at 5000 players (1.5 % of a
     *       core in all), far below a player's buffer; G1 left to itself held 60 KiB of RSS a
     *       player at 2000, Serial from a small start about 23.
     *   <li>A 16 MiB start: the heap then grows with what is live, by the JVM's usual free ratios
     *       (40-70 %), instead of starting at 1/64 of the RAM, all of which the young generation
     *       soon touches. Tighter ratios (10-30 %, 20-40 %) saved no RSS and doubled the full
     *       collections.
     * </ul>
     * The ceiling stays the JVM's (a quarter of the RAM, or of the container's limit).
     */
    public static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xms16m");

    /** Flags through which a user has chosen the heap or the collector: then theirs stand. */
    private static final List<String> USER_CHOICE_PREFIXES = List.of(
            "-Xmx",
            "-Xms",
            "-Xmn",
            "-XX:MaxRAM",
            "-XX:InitialRAM",
            "-XX:MinRAM",
            "-XX:MaxHeapSize",
            "-XX:InitialHeapSize",
            "-XX:MinHeapSize",
            "-XX:NewSize",
            "-XX:MaxNewSize",
            "-XX:MinHeapFreeRatio",
            "-XX:MaxHeapFreeRatio");

    private JvmRelaunch() {}

    /** What start-up reports about the JVM's memory defaults, once its log is configured. */
    public record Outcome(String message, boolean warning) {}

    /** What {@link #decide} found: relaunch with {@code argv} and {@code env}, or stay and report. */
    record Decision(Optional<Outcome> stay, List<String> argv, Map<String, String> env) {

        static Decision stay(String message, boolean warning) {
            return new Decision(Optional.of(new Outcome(message, warning)), List.of(), Map.of());
        }

        static Decision stayQuietly() {
            return new Decision(Optional.empty(), List.of(), Map.of());
        }
    }

    /**
     * Replaces this JVM with one started with {@link #FLAGS} when that is due, and returns only if it
     * stays: empty when there is nothing to say (the class is not running as the server's main).
     */
    public static Optional<Outcome> relaunchIfDue(String mainClass) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Decision decision = decide(
                System.getenv(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("sun.java.command", ""),
                mainClass,
                info.arguments().map(List::of));
        if (decision.stay().isPresent() || decision.argv().isEmpty()) {
            return decision.stay();
        }
        Optional<String> executable = info.command();
        if (executable.isEmpty()) {
            return Optional.of(
                    new Outcome("JVM memory defaults not applied: the path of the java executable is unknown", true));
        }
        try {
            NativeSignals.load();
        } catch (NativeSignals.UnavailableException e) {
            return Optional.of(new Outcome("JVM memory defaults not applied: " + e.getMessage(), true));
        }
        List<String> env = new ArrayList<>();
        decision.env().forEach((name, value) -> env.add(name + "=" + value));
        int errno = execve0(executable.get(), decision.argv().toArray(String[]::new), env.toArray(String[]::new));
        return Optional.of(new Outcome(
                "JVM memory defaults not applied: execve(" + executable.get() + ") failed with errno " + errno, true));
    }

    /**
     * The decision, from what the process was started with.
     *
     * @param env the environment
     * @param inputArguments the JVM's own arguments (the command line's and JAVA_TOOL_OPTIONS')
     * @param javaCommand {@code sun.java.command}: the jar or main class, then the program's arguments
     * @param mainClass the server's main class
     * @param arguments the command line after argv[0], when the platform tells it
     */
    static Decision decide(
            Map<String, String> env,
            List<String> inputArguments,
            String javaCommand,
            String mainClass,
            Optional<List<String>> arguments) {
        String setting = env.getOrDefault(ENV, "on").trim().toLowerCase(Locale.ROOT);
        if (setting.equals(APPLIED)) {
            return Decision.stay(
                    "JVM memory defaults: " + String.join(" ", FLAGS) + " (" + ENV + "=off keeps the JVM's own sizing)",
                    false);
        }
        String launched = javaCommand.split(" ", 2)[0];
        if (!launched.endsWith(".jar") && !launched.equals(mainClass)) {
            return Decision.stayQuietly(); // embedded in another program (a test's JVM): never replace it
        }
        if (setting.equals("off")) {
            return Decision.stay("JVM memory defaults off (" + ENV + "=off): the JVM sizes its heap itself", false);
        }
        if (!setting.equals("on")) {
            return Decision.stay(
                    ENV + "=" + env.get(ENV) + " is neither on nor off: the JVM sizes its heap itself", true);
        }
        Optional<String> chosen =
                inputArguments.stream().filter(JvmRelaunch::isUserChoice).findFirst();
        if (chosen.isPresent()) {
            return Decision.stay(
                    "JVM memory flags given (" + chosen.get() + "): rtmp-edge's own defaults are not applied", false);
        }
        if (arguments.isEmpty() || arguments.get().isEmpty()) {
            return Decision.stay("JVM memory defaults not applied: the command line is unknown", true);
        }
        List<String> argv = new ArrayList<>();
        argv.add("java");
        argv.addAll(FLAGS);
        argv.addAll(arguments.get());
        Map<String, String> newEnv = new TreeMap<>(env);
        newEnv.put(ENV, APPLIED);
        return new Decision(Optional.empty(), List.copyOf(argv), newEnv);
    }

    private static boolean isUserChoice(String argument) {
        if (argument.startsWith("-XX:+Use") && argument.endsWith("GC")) {
            return true;
        }
        return USER_CHOICE_PREFIXES.stream().anyMatch(argument::startsWith);
    }

    private static native int execve0(String path, String[] argv, String[] envp);
}
