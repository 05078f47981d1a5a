package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.Amf;
import io.github.rtmpedge.rtmp.amf.AmfMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An RTMP command (message types 20 and 17, RTMP spec 7.1.1 and 7.2): procedure name, transaction
 * id, command object (AMF null in most commands, so {@code null} here) and the optional arguments.
 *
 * @param arguments unmodifiable, may hold nulls
 */
public record Command(String name, double transactionId, Object commandObject, List<Object> arguments) {

    public Command {
        Objects.requireNonNull(name, "name");
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    public static Command of(String name, double transactionId, Object commandObject, Object... arguments) {
        return new Command(name, transactionId, commandObject, Arrays.asList(arguments));
    }

    /**
     * A command from the AMF values of a message body ({@code Amf0Reader.readAll}): a string name,
     * a number transaction id, then the command object (null when absent) and the arguments.
     *
     * @throws RtmpCodecException when the name or the transaction id is missing or mistyped
     */
    public static Command parse(List<Object> amfValues) {
        if (amfValues.isEmpty()) {
            throw new RtmpCodecException("command has no values");
        }
        if (!(amfValues.get(0) instanceof String name)) {
            throw new RtmpCodecException("command name is " + describe(amfValues.get(0)) + ", expected a string");
        }
        if (amfValues.size() < 2) {
            throw new RtmpCodecException("command '" + name + "' has no transaction id");
        }
        if (!(amfValues.get(1) instanceof Number txid)) {
            throw new RtmpCodecException("transaction id of command '" + name + "' is " + describe(amfValues.get(1))
                    + ", expected a number");
        }
        Object commandObject = amfValues.size() > 2 ? amfValues.get(2) : null;
        if (commandObject == Amf.UNDEFINED) {
            commandObject = null;
        }
        List<Object> arguments = amfValues.size() > 3 ? amfValues.subList(3, amfValues.size()) : List.of();
        return new Command(name, txid.doubleValue(), commandObject, arguments);
    }

    /** The values to write with {@code Amf0Writer.writeAll}: name, txid, command object, arguments. */
    public List<Object> toValues() {
        List<Object> values = new ArrayList<>(3 + arguments.size());
        values.add(name);
        values.add(transactionId);
        values.add(commandObject);
        values.addAll(arguments);
        return Collections.unmodifiableList(values);
    }

    /** The argument at {@code index}, or null when there are fewer arguments. */
    public Object argument(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }

    /** The command object as a map; null when it is AMF null; an error when it is anything else. */
    public AmfMap commandObjectMap() {
        if (commandObject == null) {
            return null;
        }
        if (commandObject instanceof AmfMap map) {
            return map;
        }
        throw new RtmpCodecException(
                "command object of '" + name + "' is " + describe(commandObject) + ", expected an object");
    }

    /** Fails unless this command has the given name. */
    Command expect(String expected) {
        if (!name.equals(expected)) {
            throw new RtmpCodecException("expected command '" + expected + "', got '" + name + "'");
        }
        return this;
    }

    static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
