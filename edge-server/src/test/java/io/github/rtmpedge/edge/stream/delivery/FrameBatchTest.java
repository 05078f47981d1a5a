package io.github.rtmpedge.edge.stream.delivery;

import static io.github.rtmpedge.edge.stream.TestFrames.audio;
import static io.github.rtmpedge.edge.stream.TestFrames.inter;
import static io.github.rtmpedge.edge.stream.TestFrames.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch's shared buffers are its frames' bytes end to end, built once, and go with the batch. */
class FrameBatchTest {

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Test
    void chunksAndFlvTagsAreTheFramesEndToEndBuiltOnceAndReleasedOnClose() {
        List<MediaFrame> frames = List.of(key(0, 70_000), audio(20, 300), inter(40, 5_000));
        long wire = 0;
        ByteBuf expectedChunks = Unpooled.buffer();
        ByteBuf expectedTags = Unpooled.buffer();
        for (MediaFrame f : frames) {
            wire += f.wireLength();
            expectedChunks.writeBytes(f.chunks(), f.chunks().readerIndex(), f.wireLength());
            ByteBuf tag = f.flvTag(alloc);
            expectedTags.writeBytes(tag, tag.readerIndex(), tag.readableBytes());
        }
        FrameBatch batch = new FrameBatch(frames, wire);
        ByteBuf chunks = batch.chunks(alloc);
        ByteBuf tags = batch.flvTags(alloc);
        try {
            assertSame(chunks, batch.chunks(alloc), "built once for every member");
            assertEquals(wire, chunks.readableBytes());
            assertEquals(ByteBufUtil.hexDump(expectedChunks), ByteBufUtil.hexDump(chunks));
            assertEquals(ByteBufUtil.hexDump(expectedTags), ByteBufUtil.hexDump(tags));
            ByteBuf held = chunks.retainedDuplicate(); // what a member writes
            batch.close();
            assertEquals(1, chunks.refCnt(), "a member's duplicate keeps it");
            held.release();
            assertEquals(List.of(0, 0), List.of(chunks.refCnt(), tags.refCnt()));
        } finally {
            expectedChunks.release();
            expectedTags.release();
            for (MediaFrame f : frames) {
                f.release();
            }
        }
    }
}
