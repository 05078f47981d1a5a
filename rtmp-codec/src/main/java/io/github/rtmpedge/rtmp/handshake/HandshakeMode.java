package io.github.rtmpedge.rtmp.handshake;

/** Which handshake a client offers. */
public enum HandshakeMode {
    /**
     * The handshake of the RTMP specification (section 5.2): C1 carries zeros in bytes 4-7 and
     * random bytes, C2 echoes S1.
     */
    SIMPLE,
    /**
     * The Flash Player 9 "digest" (a.k.a. complex) handshake: C1 carries a non-zero version and an
     * HMAC-SHA256 digest keyed with "Genuine Adobe Flash Player 001"; the server's S1 must carry a
     * valid Flash Media Server digest when its version is non-zero.
     */
    DIGEST
}
