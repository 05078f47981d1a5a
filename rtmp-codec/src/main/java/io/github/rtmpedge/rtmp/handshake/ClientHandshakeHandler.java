package io.github.rtmpedge.rtmp.handshake;

import static io.github.rtmpedge.rtmp.handshake.HandshakePackets.PACKET_SIZE;

import io.github.rtmpedge.rtmp.handshake.HandshakePackets.Signer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The client side of the RTMP handshake (specification section 5.2), simple or digest.
 *
 * <p>When the channel becomes active (or when added to an active channel) it sends C0 and C1: in
 * {@link HandshakeMode#SIMPLE} a C1 with zeros in bytes 4-7, in {@link HandshakeMode#DIGEST} a C1
 * with version 0x80000702 and a Flash Player digest in scheme 0. It reads S0 and S1 and sends C2
 * right away (the specification lets the client send C2 once S1 is in):
 * <ul>
 *   <li>digest mode, S1 version non-zero: S1 must carry a valid Flash Media Server digest (scheme
 *       0 or 1), else the handshake fails; C2 is a digest answer keyed with the full Flash Player
 *       key over S1's digest;</li>
 *   <li>digest mode with an S1 version of zero (a server that only knows the simple handshake),
 *       and simple mode: C2 echoes S1.</li>
 * </ul>
 * Then it reads S2, which is accepted even if it does not answer C1 correctly (reported as
 * {@link HandshakeCompleted#peerAnswerVerified()}), fires {@link HandshakeCompleted} and removes
 * itself; bytes after S2 go on to the next handler.
 *
 * <p>Failures (S0 other than 3, a bad S1 digest, timeout, connection closed before S2) fire
 * {@code exceptionCaught} with a {@link HandshakeException} naming the state, and close the channel.
 */
public final class ClientHandshakeHandler extends HandshakeHandler {

    private enum State {
        WAITING_FOR_S0("waiting for S0", 1),
        WAITING_FOR_S1("waiting for S1", PACKET_SIZE),
        WAITING_FOR_S2("waiting for S2", PACKET_SIZE);

        final String text;
        final int size;

        State(String text, int size) {
            this.text = text;
            this.size = size;
        }
    }

    private final HandshakeMode mode;
    private State state = State.WAITING_FOR_S0;
    private byte[] c1;
    private byte[] c1Digest;
    private boolean digest;
    private long peerTime;
    private long peerVersion;

    /** A client handshake in {@code mode} that must finish within 10 seconds. */
    public ClientHandshakeHandler(HandshakeMode mode) {
        this(mode, DEFAULT_TIMEOUT);
    }

    /** A client handshake in {@code mode} that must finish within {@code timeout} of the channel becoming active. */
    public ClientHandshakeHandler(HandshakeMode mode, Duration timeout) {
        this(mode, timeout, null);
    }

    /** For tests: {@code random} fills C1 and C2 (null: {@link java.util.concurrent.ThreadLocalRandom}). */
    ClientHandshakeHandler(HandshakeMode mode, Duration timeout, RandomGenerator random) {
        super(timeout, random);
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    @Override
    void onStart(ChannelHandlerContext ctx) {
        int now = elapsedMillis(ctx);
        if (mode == HandshakeMode.DIGEST) {
            c1 = HandshakePackets.createWithDigest(
                    Signer.CLIENT, now, HandshakePackets.FLASH_PLAYER_VERSION, DigestScheme.SCHEME_0, random());
            c1Digest = HandshakePackets.digestOf(c1, DigestScheme.SCHEME_0);
        } else {
            c1 = HandshakePackets.createSimple(now, random());
        }
        ByteBuf c0c1 = ctx.alloc().buffer(1 + PACKET_SIZE);
        c0c1.writeByte(HandshakePackets.RTMP_VERSION);
        c0c1.writeBytes(c1);
        send(ctx, c0c1, "C0+C1");
    }

    @Override
    @SuppressWarnings("fallthrough") // each state falls through to the next when its bytes are in
    void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in) {
        switch (state) {
            case WAITING_FOR_S0:
                if (!in.isReadable()) {
                    return;
                }
                String error = versionError("S0", in.getUnsignedByte(in.readerIndex()));
                if (error != null) {
                    fail(ctx, error);
                    return;
                }
                in.skipBytes(1);
                state = State.WAITING_FOR_S1;
            // fall through
            case WAITING_FOR_S1:
                if (in.readableBytes() < PACKET_SIZE) {
                    return;
                }
                byte[] s1 = new byte[PACKET_SIZE];
                in.readBytes(s1);
                if (!answer(ctx, s1)) {
                    return;
                }
                state = State.WAITING_FOR_S2;
            // fall through
            case WAITING_FOR_S2:
                if (in.readableBytes() < PACKET_SIZE) {
                    return;
                }
                byte[] s2 = new byte[PACKET_SIZE];
                in.readBytes(s2);
                boolean verified = HandshakePackets.isEcho(s2, c1)
                        || (digest && HandshakePackets.isValidDigestAnswer(s2, Signer.SERVER, c1Digest));
                complete(ctx, new HandshakeCompleted(digest, peerTime, peerVersion, verified));
                return;
            default:
                throw new IllegalStateException("unknown state " + state);
        }
    }

    /** Sends C2 for {@code s1}; false when the handshake failed instead. */
    private boolean answer(ChannelHandlerContext ctx, byte[] s1) {
        peerTime = HandshakePackets.time(s1);
        peerVersion = HandshakePackets.version(s1);
        byte[] c2;
        if (mode == HandshakeMode.DIGEST && peerVersion != 0) {
            Optional<DigestScheme> scheme = HandshakePackets.findDigest(s1, Signer.SERVER);
            if (scheme.isEmpty()) {
                fail(
                        ctx,
                        String.format(
                                "S1 has server version 0x%08X but no valid Flash Media Server digest "
                                        + "in scheme 0 or 1",
                                peerVersion));
                return false;
            }
            digest = true;
            c2 = HandshakePackets.createDigestAnswer(
                    Signer.CLIENT, HandshakePackets.digestOf(s1, scheme.get()), random());
        } else {
            c2 = HandshakePackets.createEcho(s1, elapsedMillis(ctx));
        }
        send(ctx, ctx.alloc().buffer(PACKET_SIZE).writeBytes(c2), "C2");
        return true;
    }

    @Override
    String state() {
        return state.text;
    }

    @Override
    int bytesExpected() {
        return state.size;
    }
}
