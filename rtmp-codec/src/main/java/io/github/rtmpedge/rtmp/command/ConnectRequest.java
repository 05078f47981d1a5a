package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.AmfMap;
import io.github.rtmpedge.rtmp.amf.AmfObject;
import java.util.Objects;

/**
 * The {@code connect} command (RTMP spec 7.2.1.1) and the command object fields servers read.
 *
 * @param app            the application name as sent, possibly with a query ({@code live?vhost=x});
 *                       see {@link StreamName#parse(String)}
 * @param tcUrl          null when absent
 * @param flashVer       null when absent
 * @param swfUrl         null when absent
 * @param pageUrl        null when absent
 * @param objectEncoding 0 (AMF0) when absent, 3 for AMF3
 * @param commandObject  the whole command object, with every field the client sent
 */
public record ConnectRequest(
        String app,
        String tcUrl,
        String flashVer,
        String swfUrl,
        String pageUrl,
        double objectEncoding,
        AmfObject commandObject) {

    public static final String NAME = "connect";

    public ConnectRequest {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(commandObject, "commandObject");
    }

    /** A request whose command object holds the given fields (null fields left out) in this order. */
    public static ConnectRequest of(
            String app, String tcUrl, String flashVer, String swfUrl, String pageUrl, double objectEncoding) {
        AmfObject object = AmfObject.builder()
                .put("app", app)
                .putIfNotNull("flashVer", flashVer)
                .putIfNotNull("swfUrl", swfUrl)
                .putIfNotNull("tcUrl", tcUrl)
                .putIfNotNull("pageUrl", pageUrl)
                .put("objectEncoding", objectEncoding)
                .build();
        return new ConnectRequest(app, tcUrl, flashVer, swfUrl, pageUrl, objectEncoding, object);
    }

    /**
     * Reads a connect command.
     *
     * @throws RtmpCodecException when it is not {@code connect}, has no command object, or lacks a
     *                            string {@code app}
     */
    public static ConnectRequest parse(Command command) {
        command.expect(NAME);
        AmfMap map = command.commandObjectMap();
        if (map == null) {
            throw new RtmpCodecException("connect has no command object");
        }
        String app = map.string("app");
        if (app == null) {
            throw new RtmpCodecException("connect command object has no app");
        }
        Double encoding = map.number("objectEncoding");
        return new ConnectRequest(
                app,
                map.string("tcUrl"),
                map.string("flashVer"),
                map.string("swfUrl"),
                map.string("pageUrl"),
                encoding == null ? 0 : encoding,
                AmfObject.copyOf(map));
    }

    /** The connect command; clients use transaction id 1. */
    public Command toCommand(double transactionId) {
        return Command.of(NAME, transactionId, commandObject);
    }
}
