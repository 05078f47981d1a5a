package io.github.rtmpedge.rtmp.handshake;

/**
 * User event fired by {@link ServerHandshakeHandler} and {@link ClientHandshakeHandler} once the
 * handshake is done, just before the handler removes itself (bytes that followed the handshake
 * reach the next handler after this event).
 *
 * @param digest whether the digest ("complex") handshake was used; false for the simple one
 * @param peerTime bytes 0-3 of the peer's C1 (server) or S1 (client): the peer's epoch for chunk timestamps
 * @param peerVersion bytes 4-7 of the peer's C1/S1: zero for a simple handshake, else e.g. the
 *     Flash Player version (0x80000702) or a server version (0x0D0E0A0D)
 * @param peerAnswerVerified whether the peer's C2/S2 answered our packet correctly (an echo of our
 *     random bytes, or a digest answer over our digest). A wrong answer is tolerated (real peers
 *     differ) and only reported here.
 */
public record HandshakeCompleted(boolean digest, long peerTime, long peerVersion, boolean peerAnswerVerified) {

    @Override
    public String toString() {
        return "HandshakeCompleted[digest=" + digest + ", peerTime=" + peerTime
                + ", peerVersion=0x" + String.format("%08X", peerVersion)
                + ", peerAnswerVerified=" + peerAnswerVerified + "]";
    }
}
