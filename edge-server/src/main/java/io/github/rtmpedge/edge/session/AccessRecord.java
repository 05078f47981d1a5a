package io.github.rtmpedge.edge.session;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What one client session did, for its access log line (the close line): who, on which
 * application and stream, in which role, how many bytes each way and for how long. The fields go
 * on the line as SLF4J key-value pairs (top-level keys of a {@code log_format = json} line).
 *
 * @param protocol the session kind: {@code rtmp}, {@code http_flv} (the protocol label of the meters)...
 * @param client the client's address (the one the security rules saw), or null if unknown
 * @param app the application connected to, or null before connect
 * @param stream the stream published or played (or asked for), without its query; null if none
 * @param role what the session did or asked to do: {@code publisher}, {@code player}, {@code none}
 * @param bytesIn bytes received from the client
 * @param bytesOut bytes sent to the client
 * @param durationMillis how long the connection lasted
 */
public record AccessRecord(
        String protocol,
        SocketAddress client,
        String app,
        String stream,
        String role,
        long bytesIn,
        long bytesOut,
        long durationMillis) {

    /** The keys, in the order they go on the line (docs/architecture.md, "Access log"). */
    public static final String CLIENT = "client";

    public static final String CLIENT_PORT = "client_port";
    public static final String PROTOCOL = "protocol";
    public static final String APP = "app";
    public static final String STREAM = "stream";
    public static final String ROLE = "role";
    public static final String BYTES_IN = "bytes_in";
    public static final String BYTES_OUT = "bytes_out";
    public static final String DURATION_MS = "duration_ms";
    public static final String CLOSE_REASON = "close_reason";
    public static final String CLOSE_DETAIL = "close_detail";

    /** Adds the fields to a log line being built. */
    LoggingEventBuilder addTo(LoggingEventBuilder line) {
        LoggingEventBuilder out = line.addKeyValue(CLIENT, host(client));
        if (client instanceof InetSocketAddress inet) {
            out = out.addKeyValue(CLIENT_PORT, inet.getPort());
        }
        return out.addKeyValue(PROTOCOL, protocol)
                .addKeyValue(APP, app)
                .addKeyValue(STREAM, stream)
                .addKeyValue(ROLE, role)
                .addKeyValue(BYTES_IN, bytesIn)
                .addKeyValue(BYTES_OUT, bytesOut)
                .addKeyValue(DURATION_MS, durationMillis);
    }

    /** The role's name as the line says it. */
    public static String role(Enum<?> role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** An address without the leading '/' of {@link InetSocketAddress#toString()}: {@code 10.0.0.7}. */
    static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return address == null ? null : address.toString();
    }
}
