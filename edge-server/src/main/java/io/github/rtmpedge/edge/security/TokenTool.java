package io.github.rtmpedge.edge.security;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mints a signed stream token for operators:
 * {@code java -jar edge-server.jar token --secret-env EDGE_SECRET --app live --stream cam1 --ttl 1h}
 * prints {@code ?expires=…&token=…}, to append to the stream name
 * ({@code rtmp://host/live/cam1?expires=…&token=…}).
 */
public final class TokenTool {

    private static final String USAGE = String.join(
            "\n",
            "usage: java -jar edge-server.jar token (--secret SECRET | --secret-env VARIABLE) --app APP --stream STREAM"
                    + " [--ttl DURATION]",
            "  Prints the query ?expires=<unix seconds>&token=<signature> that lets APP/STREAM be published or",
            "  played until now + DURATION (default 1h; units s, m, h, d, e.g. 90s, 30m, 1h, 7d).",
            "  --secret-env reads the secret from an environment variable (keeps it out of the shell history",
            "  and the process list); it must be one of security.token_secrets.");

    private TokenTool() {}

    /** The tool without System.exit: returns the exit status (0 printed, 2 usage error). */
    public static int run(
            String[] args, PrintStream out, PrintStream err, Map<String, String> env, long nowEpochSeconds) {
        Map<String, String> options = new HashMap<>();
        List<String> names = List.of("--secret", "--secret-env", "--app", "--stream", "--ttl");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (!names.contains(args[i]) || i + 1 >= args.length) {
                err.println("unknown or incomplete option " + args[i] + "\n" + USAGE);
                return 2;
            }
            options.put(args[i], args[++i]);
        }
        String secret = options.get("--secret");
        if (secret == null && options.containsKey("--secret-env")) {
            secret = env.get(options.get("--secret-env"));
            if (secret == null || secret.isEmpty()) {
                err.println("environment variable " + options.get("--secret-env") + " is not set");
                return 2;
            }
        }
        String app = options.get("--app");
        String stream = options.get("--stream");
        if (secret == null || secret.isEmpty() || app == null || stream == null) {
            err.println(USAGE);
            return 2;
        }
        Duration ttl;
        try {
            ttl = ttl(options.getOrDefault("--ttl", "1h"));
        } catch (IllegalArgumentException e) {
            err.println("--ttl: " + e.getMessage());
            return 2;
        }
        out.println("?" + StreamToken.query(secret, app, stream, nowEpochSeconds + ttl.toSeconds()));
        return 0;
    }

    /** {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}, a bare number of seconds, or ISO-8601 ({@code PT1H}). */
    static Duration ttl(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return positive(Duration.parse(text.trim()));
            }
            char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            String number = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1);
            long n = Long.parseLong(number);
            return positive(
                    switch (unit) {
                        case 's' -> Duration.ofSeconds(n);
                        case 'm' -> Duration.ofMinutes(n);
                        case 'h' -> Duration.ofHours(n);
                        case 'd' -> Duration.ofDays(n);
                        default -> {
                            if (!Character.isDigit(unit)) {
                                throw new IllegalArgumentException("a duration such as 90s, 30m, 1h or 7d");
                            }
                            yield Duration.ofSeconds(n);
                        }
                    });
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("a duration such as 90s, 30m, 1h or 7d");
        }
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a positive duration such as 90s, 30m, 1h or 7d");
        }
        return d;
    }
}
