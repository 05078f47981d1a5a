package io.github.rtmpedge.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The installed pipeline: handler order and names, and the handshake bounded by the config. */
class RtmpClientPipelineTest {

    private final List<String> failures = new ArrayList<>();

    @Test
    void installsTheCodecInFrontOfTheClient() {
        EmbeddedChannel channel = new EmbeddedChannel();
        RtmpClientHandler client = new RtmpClientHandler(
                RtmpClientConfig.play("live", "rtmp://o/live", "s").build(), (c, reason) -> failures.add(reason));

        RtmpClientPipeline.install(channel.pipeline(), client, HandshakeMode.SIMPLE);

        assertEquals(
                List.of(
                        RtmpClientPipeline.HANDSHAKE,
                        RtmpClientPipeline.CHUNK_DECODER,
                        RtmpClientPipeline.MESSAGE_DECODER,
                        RtmpClientPipeline.CHUNK_ENCODER,
                        RtmpClientPipeline.MESSAGE_ENCODER,
                        RtmpClientPipeline.CLIENT),
                channel.pipeline().names().subList(0, 6));
        ByteBuf c0c1 = channel.readOutbound();
        assertEquals(1537, c0c1.readableBytes(), "C0+C1 went out on the active channel");
        c0c1.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void theHandshakeTimeoutOfTheConfigBoundsTheHandshake() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        RtmpClientHandler client = new RtmpClientHandler(
                RtmpClientConfig.play("live", "rtmp://o/live", "s")
                        .timeout(Phase.HANDSHAKE, Duration.ofSeconds(2))
                        .build(),
                (c, reason) -> failures.add(reason));
        RtmpClientPipeline.install(channel.pipeline(), client, HandshakeMode.SIMPLE);
        ((ByteBuf) channel.readOutbound()).release();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertEquals(1, failures.size(), failures::toString);
        assertEquals(
                "protocol error: handshake timed out after 2 s (state: waiting for S0, 0 of 1 bytes received)",
                failures.get(0));
        assertEquals(Phase.CLOSED, client.phase());
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }
}
