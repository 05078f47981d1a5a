package io.github.rtmpedge.rtmp.handshake;

/**
 * Where the 32-byte digest of a digest-handshake C1/S1 lives.
 *
 * <p>The 1528 bytes after time and version are two 764-byte blocks. In each scheme the four bytes
 * at {@link #offsetField()} are summed (as unsigned bytes), taken modulo 728 and added to
 * {@link #digestBase()} to give the digest's position. (FFmpeg's rtmpproto.c calls scheme 1 the
 * "encrypted" layout; SRS numbers the two layouts the other way round. The byte positions below
 * are what matters on the wire.)
 */
public enum DigestScheme {
    /** Offset from bytes 8-11, digest at 12 + (sum mod 728): the layout Flash Player 9 and FFmpeg send. */
    SCHEME_0(8, 12),
    /** Offset from bytes 772-775, digest at 776 + (sum mod 728). */
    SCHEME_1(772, 776);

    /** The sum of the four offset bytes is taken modulo this, so the digest stays inside its block. */
    static final int OFFSET_MODULUS = 728;

    private final int offsetField;
    private final int digestBase;

    DigestScheme(int offsetField, int digestBase) {
        this.offsetField = offsetField;
        this.digestBase = digestBase;
    }

    /** Position of the four bytes whose sum selects the digest's offset. */
    public int offsetField() {
        return offsetField;
    }

    /** Position the digest offset is counted from. */
    public int digestBase() {
        return digestBase;
    }

    /** Position of the 32-byte digest inside {@code packet} (a 1536-byte C1 or S1). */
    public int digestPosition(byte[] packet) {
        int sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += packet[offsetField + i] & 0xFF;
        }
        return digestBase + sum % OFFSET_MODULUS;
    }
}
