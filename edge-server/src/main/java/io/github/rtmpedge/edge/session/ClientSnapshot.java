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
 * @param type SRS's client type: {@code rtmp-play}, {@code fmle-publish}, {@code flv-play}, {@code unknown} before either
 * @param tcUrl the connection's tcUrl (RTMP connect; for HTTP-FLV the URL's scheme, host and app), secrets masked
 * @param pageUrl the page the client came from (RTMP connect's pageUrl, HTTP's Referer), or empty
 * @param recvBitsPerSecond bits per second received over the last 30 seconds
 * @param sendBitsPerSecond bits per second sent over the last 30 seconds
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
        long framesDropped,
        String type,
        String tcUrl,
        String pageUrl,
        long recvBitsPerSecond,
        long sendBitsPerSecond) {

    /** SRS's client types. */
    public static final String RTMP_PLAY = "rtmp-play";

    public static final String FMLE_PUBLISH = "fmle-publish";
    public static final String FLV_PLAY = "flv-play";
    public static final String UNKNOWN = "unknown";

    /** Whether the client publishes (SRS's {@code publish}). */
    public boolean publishing() {
        return FMLE_PUBLISH.equals(type);
    }
}
