package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import java.util.Objects;

/**
 * The {@code publish} command (RTMP spec 7.2.2.6): transaction id (clients send 0 or a counter),
 * null command object, publishing name (which may carry a query, see {@link StreamName}) and type.
 */
public record PublishRequest(String name, Type type) {

    public static final String NAME = "publish";

    /** Publishing type; {@link #LIVE} when the client sends none. */
    public enum Type {
        LIVE("live"),
        RECORD("record"),
        APPEND("append");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /**
         * The type a wire string names.
         *
         * @throws RtmpCodecException for an unknown type string
         */
        public static Type fromWire(String wire) {
            for (Type t : values()) {
                if (t.wire.equals(wire)) {
                    return t;
                }
            }
            throw new RtmpCodecException("unknown publishing type '" + wire + "'");
        }
    }

    public PublishRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /**
     * Reads a {@code publish} command.
     *
     * @throws RtmpCodecException when it is not {@code publish}, the name is not a string (including
     *                            Flash's {@code publish(false)}), or the type is unknown
     */
    public static PublishRequest parse(Command command) {
        command.expect(NAME);
        String name = Commands.stringArgument(command, 0, "publishing name");
        Object type = command.argument(1);
        if (type == null) {
            return new PublishRequest(name, Type.LIVE);
        }
        if (!(type instanceof String s)) {
            throw new RtmpCodecException("publishing type is " + Command.describe(type) + ", expected a string");
        }
        return new PublishRequest(name, Type.fromWire(s));
    }

    public Command toCommand(double transactionId) {
        return Command.of(NAME, transactionId, null, name, type.wire());
    }

    /** The name split into stream name and query. */
    public StreamName streamName() {
        return StreamName.parse(name);
    }
}
