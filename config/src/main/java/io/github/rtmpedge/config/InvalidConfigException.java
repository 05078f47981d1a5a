package io.github.rtmpedge.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used. Carries every problem found, not just the first, so an
 * operator fixes them all in one go; the message lists one per line.
 */
public final class InvalidConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;
    private final LogFormat logFormat;

    public InvalidConfigException(List<Problem> problems) {
        this(problems, null);
    }

    /**
     * {@code logFormat}: the {@code log_format} the configuration asks for, when that key itself is
     * valid (null otherwise), so that a server refusing to start reports it in the format wanted.
     */
    public InvalidConfigException(List<Problem> problems, LogFormat logFormat) {
        super(describe(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        this.problems = List.copyOf(problems);
        this.logFormat = logFormat;
    }

    /** The valid {@code log_format} of the refused configuration, if it had one. */
    public Optional<LogFormat> logFormat() {
        return Optional.ofNullable(logFormat);
    }

    /** Every problem, in the order found (reading order of the keys). */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        return "invalid configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n"
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /**
     * One bad key.
     *
     * @param path the key's path ({@code cluster.mode})
     * @param value its value as HOCON ({@code "remot"}, {@code 5}); for a bad file, the file name
     * @param expected what would have been accepted ({@code one of local, remote})
     */
    public record Problem(String path, String value, String expected) {

        /** {@code path = value: expected <expected>}. */
        @Override
        public String toString() {
            return path + " = " + value + ": expected " + expected;
        }
    }
}
