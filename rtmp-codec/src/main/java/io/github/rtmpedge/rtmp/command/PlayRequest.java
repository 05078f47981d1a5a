package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import java.util.Objects;

/**
 * The {@code play} command (RTMP spec 7.2.2.1): stream name and the optional start, duration and
 * reset. Start -2 (the default) means live, else recorded; -1 live only; librtmp sends -1000 for
 * live. Duration -1 (the default) means until the end.
 */
public record PlayRequest(String name, double start, double duration, boolean reset) {

    public static final String NAME = "play";
    public static final double DEFAULT_START = -2;
    public static final double DEFAULT_DURATION = -1;

    public PlayRequest {
        Objects.requireNonNull(name, "name");
    }

    public static PlayRequest of(String name) {
        return new PlayRequest(name, DEFAULT_START, DEFAULT_DURATION, true);
    }

    /**
     * Reads a {@code play} command.
     *
     * @throws RtmpCodecException when it is not {@code play}, or an argument has the wrong type
     */
    public static PlayRequest parse(Command command) {
        command.expect(NAME);
        String name = Commands.stringArgument(command, 0, "stream name");
        double start = number(command.argument(1), "start", DEFAULT_START);
        double duration = number(command.argument(2), "duration", DEFAULT_DURATION);
        Object reset = command.argument(3);
        if (reset != null && !(reset instanceof Boolean)) {
            throw new RtmpCodecException("play reset is " + Command.describe(reset) + ", expected a boolean");
        }
        return new PlayRequest(name, start, duration, reset == null || (Boolean) reset);
    }

    private static double number(Object value, String what, double absent) {
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Number n)) {
            throw new RtmpCodecException("play " + what + " is " + Command.describe(value) + ", expected a number");
        }
        return n.doubleValue();
    }

    /** The full command with all four arguments. */
    public Command toCommand(double transactionId) {
        return Command.of(NAME, transactionId, null, name, start, duration, reset);
    }

    public StreamName streamName() {
        return StreamName.parse(name);
    }
}
