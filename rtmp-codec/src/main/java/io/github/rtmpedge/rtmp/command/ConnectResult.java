package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.AmfMap;
import io.github.rtmpedge.rtmp.amf.AmfObject;
import java.util.Objects;

/**
 * The answer to connect (RTMP spec 7.2.1.1): {@code _result} with the server properties (fmsVer,
 * capabilities, mode) and an information object (level, code, description, objectEncoding), or
 * {@code _error} with an information object such as NetConnection.Connect.Rejected.
 *
 * @param properties the properties object (may be null, as in most {@code _error} answers)
 */
public record ConnectResult(boolean success, AmfObject properties, Status info) {

    public static final String DEFAULT_FMS_VER = "FMS/3,5,3,888";
    public static final double DEFAULT_CAPABILITIES = 127;
    public static final double DEFAULT_MODE = 1;

    public ConnectResult {
        Objects.requireNonNull(info, "info");
    }

    /** {@code _result}: NetConnection.Connect.Success with the usual properties. */
    public static ConnectResult success(
            String fmsVer, double capabilities, double mode, String description, double objectEncoding) {
        AmfObject props = AmfObject.of("fmsVer", fmsVer, "capabilities", capabilities, "mode", mode);
        Status info = Status.of(StatusCode.CONNECT_SUCCESS, description).with("objectEncoding", objectEncoding);
        return new ConnectResult(true, props, info);
    }

    /** {@code _result} with FMS-like defaults, as ffmpeg, OBS and librtmp expect. */
    public static ConnectResult success(double objectEncoding) {
        return success(DEFAULT_FMS_VER, DEFAULT_CAPABILITIES, DEFAULT_MODE, "Connection succeeded.", objectEncoding);
    }

    /** {@code _error} with no properties, e.g. {@code rejected(Status.of(CONNECT_REJECTED, "..."))}. */
    public static ConnectResult rejected(Status info) {
        return new ConnectResult(false, null, info);
    }

    public Command toCommand(double transactionId) {
        return Command.of(success ? Commands.RESULT : Commands.ERROR, transactionId, properties, info.toObject());
    }

    public String fmsVer() {
        return properties == null ? null : properties.string("fmsVer");
    }

    /**
     * Reads connect's {@code _result} or {@code _error}.
     *
     * @throws RtmpCodecException for another command, or without an information object
     */
    public static ConnectResult parse(Command command) {
        boolean success = switch (command.name()) {
            case Commands.RESULT -> true;
            case Commands.ERROR -> false;
            default -> throw new RtmpCodecException("expected _result or _error, got '" + command.name() + "'");
        };
        AmfMap props = command.commandObjectMap();
        if (command.arguments().isEmpty()) {
            throw new RtmpCodecException(command.name() + " of connect has no information object");
        }
        return new ConnectResult(
                success, props == null ? null : AmfObject.copyOf(props), Status.parse(command.argument(0)));
    }
}
