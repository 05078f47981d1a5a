package io.github.rtmpedge.rtmp.message;

import io.github.rtmpedge.rtmp.command.Command;
import java.util.Objects;

/**
 * Command message (RTMP spec 7.1.1; type 20 AMF0, type 17 AMF3), decoded: commands are read by
 * sessions, not relayed byte for byte. Type 17 carries a format byte 0 and then AMF0 values that may
 * switch to AMF3; we always write AMF0 values.
 */
public record CommandMessage(long timestamp, int messageStreamId, boolean amf3, Command command)
        implements RtmpMessage {

    public CommandMessage {
        Objects.requireNonNull(command, "command");
    }

    /** An AMF0 command. */
    public CommandMessage(int messageStreamId, Command command) {
        this(0, messageStreamId, false, command);
    }

    @Override
    public int typeId() {
        return amf3 ? MessageType.COMMAND_AMF3 : MessageType.COMMAND_AMF0;
    }

    /** The command's name, e.g. {@code connect}. */
    public String name() {
        return command.name();
    }
}
