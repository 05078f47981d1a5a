package io.github.rtmpedge.rtmp.handshake;

import static io.github.rtmpedge.rtmp.handshake.HandshakePackets.PACKET_SIZE;

import io.github.rtmpedge.rtmp.handshake.HandshakePackets.Signer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The server side of the RTMP handshake (specification section 5.2), simple or digest.
 *
 * <p>Reads C0 and C1, then answers S0, S1 and S2 in one write: a digest S1/S2 (Flash Media Server
 * key, same digest scheme as the client's) when C1 has a non-zero version and a Flash Player
 * digest that verifies under scheme 0 or 1; otherwise a simple S1 and an S2 that echoes C1 (any C1
 * without a valid digest, however odd, gets the simple answer, as real servers do). Then it reads
 * C2. A C2 that does not answer S1 correctly is accepted, because clients differ (some echo S1
 * even in the digest handshake, some send anything), and reported as
 * {@link HandshakeCompleted#peerAnswerVerified()} false. Finally it fires {@link HandshakeCompleted}
 * and removes itself; bytes that arrived after C2 go on to the next handler.
 *
 * <p>Failures (C0 other than 3, timeout, connection closed before C2) fire {@code exceptionCaught}
 * with a {@link HandshakeException} naming the state, and close the channel.
 */
public final class ServerHandshakeHandler extends HandshakeHandler {

    private enum State {
        WAITING_FOR_C0("waiting for C0", 1),
        WAITING_FOR_C1("waiting for C1", PACKET_SIZE),
        WAITING_FOR_C2("waiting for C2", PACKET_SIZE);

        final String text;
        final int size;

        State(String text, int size) {
            this.text = text;
            this.size = size;
        }
    }

    private State state = State.WAITING_FOR_C0;
    private boolean digest;
    private long peerTime;
    private long peerVersion;
    private byte[] s1;
    private byte[] s1Digest;

    /** A server handshake that must finish within 10 seconds. */
    public ServerHandshakeHandler() {
        this(DEFAULT_TIMEOUT);
    }

    /** A server handshake that must finish within {@code timeout} of the channel becoming active. */
    public ServerHandshakeHandler(Duration timeout) {
        this(timeout, null);
    }

    /** For tests: {@code random} fills S1 and S2 (null: {@link java.util.concurrent.ThreadLocalRandom}). */
    ServerHandshakeHandler(Duration timeout, RandomGenerator random) {
        super(timeout, random);
    }

    @Override
    void onStart(ChannelHandlerContext ctx) {
        // The client speaks first (C0 + C1).
    }

    @Override
    @SuppressWarnings("fallthrough") // each state falls through to the next when its bytes are in
    void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in) {
        switch (state) {
            case WAITING_FOR_C0:
                if (!in.isReadable()) {
                    return;
                }
                String error = versionError("C0", in.getUnsignedByte(in.readerIndex()));
                if (error != null) {
                    fail(ctx, error);
                    return;
                }
                in.skipBytes(1);
                state = State.WAITING_FOR_C1;
            // fall through
            case WAITING_FOR_C1:
                if (in.readableBytes() < PACKET_SIZE) {
                    return;
                }
                byte[] c1 = new byte[PACKET_SIZE];
                in.readBytes(c1);
                answer(ctx, c1);
                state = State.WAITING_FOR_C2;
            // fall through
            case WAITING_FOR_C2:
                if (in.readableBytes() < PACKET_SIZE) {
                    return;
                }
                byte[] c2 = new byte[PACKET_SIZE];
                in.readBytes(c2);
                boolean verified = HandshakePackets.isEcho(c2, s1)
                        || (digest && HandshakePackets.isValidDigestAnswer(c2, Signer.CLIENT, s1Digest));
                complete(ctx, new HandshakeCompleted(digest, peerTime, peerVersion, verified));
                return;
            default:
                throw new IllegalStateException("unknown state " + state);
        }
    }

    private void answer(ChannelHandlerContext ctx, byte[] c1) {
        peerTime = HandshakePackets.time(c1);
        peerVersion = HandshakePackets.version(c1);
        int now = elapsedMillis(ctx);
        Optional<DigestScheme> scheme =
                peerVersion == 0 ? Optional.empty() : HandshakePackets.findDigest(c1, Signer.CLIENT);
        byte[] s2;
        if (scheme.isPresent()) {
            digest = true;
            s1 = HandshakePackets.createWithDigest(
                    Signer.SERVER, now, HandshakePackets.SERVER_VERSION, scheme.get(), random());
            s1Digest = HandshakePackets.digestOf(s1, scheme.get());
            s2 = HandshakePackets.createDigestAnswer(
                    Signer.SERVER, HandshakePackets.digestOf(c1, scheme.get()), random());
        } else {
            s1 = HandshakePackets.createSimple(now, random());
            s2 = HandshakePackets.createEcho(c1, now);
        }
        ByteBuf reply = ctx.alloc().buffer(1 + 2 * PACKET_SIZE);
        reply.writeByte(HandshakePackets.RTMP_VERSION);
        reply.writeBytes(s1);
        reply.writeBytes(s2);
        send(ctx, reply, "S0+S1+S2");
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
