package io.github.rtmpedge.edge.session;

/**
 * What an operator sees of one client connection at one moment ({@code /api/v1/clients}). Taken on
 * the connection's event loop by its session. Holds no query: the app and the
 * stream are names only ({@code ?token=…} never leaves the server this way).
 *
 * @param id the channel's short id (also in Netty's own log lines)
 * @param role {@code publisher}, {@code player} or {@code none}
 * @param remote the peer's {@code host:port}
 * @param app the application connected to, null before connect
 * @param stream the stream published or played now, null if neither
 * @param bytesIn bytes received on the connection (handshake included)
 * @param bytesOut bytes written to the connection (handshake included)
 * @param uptimeMillis since the connection was accepted
 * @param player whether {@code framesOffered}, {@code framesSent} and {@code framesDropped} apply
 * @param framesOffered media frames the stream handed to the player's connection
 * @param framesSent media frames written to a player
 * @param framesDropped media frames a slow player did not get
 */
public record ClientSnapshot(
        String id,
        String role,
        String remote,
        String app,
        String stream,
        long bytesIn,
        long bytesOut,
        long uptimeMillis,
        boolean player,
        long framesOffered,
        long framesSent,
        long framesDropped) {}
