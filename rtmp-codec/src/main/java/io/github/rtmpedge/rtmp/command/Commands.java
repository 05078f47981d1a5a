package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;

/**
 * Builders and parsers for the commands that have no record of their own (RTMP spec 7.2, plus the
 * FMLE/FMS commands ffmpeg, OBS and librtmp send). Commands that the server sends unprompted
 * (onStatus, onBWDone, onFCPublish...) use transaction id 0 and a null command object.
 */
public final class Commands {

    public static final String RESULT = "_result";
    public static final String ERROR = "_error";
    public static final String ON_STATUS = "onStatus";
    public static final String CREATE_STREAM = "createStream";
    public static final String DELETE_STREAM = "deleteStream";
    public static final String CLOSE_STREAM = "closeStream";
    public static final String RELEASE_STREAM = "releaseStream";
    public static final String FC_PUBLISH = "FCPublish";
    public static final String FC_UNPUBLISH = "FCUnpublish";
    public static final String ON_FC_PUBLISH = "onFCPublish";
    public static final String ON_FC_UNPUBLISH = "onFCUnpublish";
    public static final String ON_BW_DONE = "onBWDone";
    public static final String CHECK_BW = "_checkbw";
    public static final String GET_STREAM_LENGTH = "getStreamLength";

    private Commands() {}

    /** {@code _result} with the given command object and arguments. */
    public static Command result(double transactionId, Object commandObject, Object... arguments) {
        return Command.of(RESULT, transactionId, commandObject, arguments);
    }

    /** {@code _error} with a null command object and the information object. */
    public static Command error(double transactionId, Status info) {
        return Command.of(ERROR, transactionId, null, info.toObject());
    }

    /** {@code onStatus(0, null, info)} (RTMP spec 7.2.2). */
    public static Command onStatus(Status status) {
        return Command.of(ON_STATUS, 0, null, status.toObject());
    }

    /** The information object of an {@code onStatus}, {@code onFCPublish} or {@code onFCUnpublish}. */
    public static Status parseOnStatus(Command command) {
        if (!command.name().equals(ON_STATUS)
                && !command.name().equals(ON_FC_PUBLISH)
                && !command.name().equals(ON_FC_UNPUBLISH)) {
            throw new RtmpCodecException("expected onStatus, got '" + command.name() + "'");
        }
        if (command.arguments().isEmpty()) {
            throw new RtmpCodecException(command.name() + " has no information object");
        }
        return Status.parse(command.argument(0));
    }

    public static Command createStream(double transactionId) {
        return Command.of(CREATE_STREAM, transactionId, null);
    }

    /** createStream's {@code _result(txid, null, streamId)} (RTMP spec 7.2.1.3). */
    public static Command createStreamResult(double transactionId, int streamId) {
        return result(transactionId, null, (double) streamId);
    }

    /**
     * The message stream id in createStream's {@code _result}.
     *
     * @throws RtmpCodecException for another command or an id that is not a non-negative integer
     */
    public static int parseCreateStreamResult(Command command) {
        command.expect(RESULT);
        return streamIdArgument(command, 0);
    }

    /** {@code deleteStream(txid, null, streamId)} (RTMP spec 7.2.2.3). */
    public static Command deleteStream(double transactionId, int streamId) {
        return Command.of(DELETE_STREAM, transactionId, null, (double) streamId);
    }

    public static int parseDeleteStream(Command command) {
        command.expect(DELETE_STREAM);
        return streamIdArgument(command, 0);
    }

    /** {@code closeStream(0, null)}, sent on the message stream being closed. */
    public static Command closeStream() {
        return Command.of(CLOSE_STREAM, 0, null);
    }

    public static Command releaseStream(double transactionId, String streamName) {
        return Command.of(RELEASE_STREAM, transactionId, null, streamName);
    }

    public static Command fcPublish(double transactionId, String streamName) {
        return Command.of(FC_PUBLISH, transactionId, null, streamName);
    }

    public static Command fcUnpublish(double transactionId, String streamName) {
        return Command.of(FC_UNPUBLISH, transactionId, null, streamName);
    }

    public static Command getStreamLength(double transactionId, String streamName) {
        return Command.of(GET_STREAM_LENGTH, transactionId, null, streamName);
    }

    /**
     * The stream name argument of releaseStream, FCPublish, FCUnpublish or getStreamLength.
     *
     * @throws RtmpCodecException when it is missing or not a string
     */
    public static String parseStreamNameArgument(Command command) {
        return stringArgument(command, 0, "stream name");
    }

    /** {@code onFCPublish(0, null, {code: NetStream.Publish.Start, description})}. */
    public static Command onFcPublish(Status status) {
        return Command.of(ON_FC_PUBLISH, 0, null, status.toObject());
    }

    public static Command onFcUnpublish(Status status) {
        return Command.of(ON_FC_UNPUBLISH, 0, null, status.toObject());
    }

    /** {@code onBWDone(0, null)}: ends the bandwidth check that FMS clients wait for. */
    public static Command onBwDone() {
        return Command.of(ON_BW_DONE, 0, null);
    }

    /** {@code _checkbw(txid, null)}, which ffmpeg sends after connect. */
    public static Command checkBw(double transactionId) {
        return Command.of(CHECK_BW, transactionId, null);
    }

    static String stringArgument(Command command, int index, String what) {
        Object value = command.argument(index);
        if (!(value instanceof String s)) {
            throw new RtmpCodecException(what + " of '" + command.name() + "' is "
                    + (index < command.arguments().size() ? Command.describe(value) : "missing")
                    + ", expected a string");
        }
        return s;
    }

    static int streamIdArgument(Command command, int index) {
        Object value = command.argument(index);
        if (!(value instanceof Number n)) {
            throw new RtmpCodecException(
                    "stream id of '" + command.name() + "' is " + Command.describe(value) + ", expected a number");
        }
        double d = n.doubleValue();
        if (d < 0 || d > Integer.MAX_VALUE || d != Math.rint(d)) {
            throw new RtmpCodecException(
                    "stream id of '" + command.name() + "' is " + d + ", expected a non-negative integer");
        }
        return (int) d;
    }
}
