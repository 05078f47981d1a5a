package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.rtmp.flv.AudioCodec;
import io.github.rtmpedge.rtmp.flv.CodecDetails;
import io.github.rtmpedge.rtmp.flv.VideoCodec;

/**
 * What a stream counts for operators: bytes and frames in from its source, bytes handed to its
 * players, recent bitrates, and the codecs and picture size of the current source session.
 * Confined to the stream's event loop, like the stream; others see it through a snapshot.
 */
final class StreamStats {

    private final long createdNanos = System.nanoTime();
    private final RateWindow rateIn = new RateWindow(createdNanos);
    private final RateWindow rateOut = new RateWindow(createdNanos);
    private final RateWindow rateIn30 = new RateWindow(createdNanos, 30);
    private final RateWindow rateOut30 = new RateWindow(createdNanos, 30);
    private long framesIn;
    private long videoFrames;
    private CodecDetails.Avc avc;
    private CodecDetails.Aac aac;
    private long bytesIn;
    private long bytesOut;
    private VideoCodec videoCodec = VideoCodec.UNKNOWN;
    private AudioCodec audioCodec = AudioCodec.UNKNOWN;
    private int width;
    private int height;

    /** A message of {@code bytes} payload bytes came from the source. */
    void in(int bytes) {
        framesIn++;
        bytesIn += bytes;
        long now = System.nanoTime();
        rateIn.add(bytes, now);
        rateIn30.add(bytes, now);
    }

    /** A video frame (not a sequence header) came from the source. */
    void videoFrame() {
        videoFrames++;
    }

    /** The AVC profile and level of the current video sequence header (null: not AVC). */
    void avc(CodecDetails.Avc avc) {
        this.avc = avc;
    }

    /** The AAC details of the current audio sequence header (null: not AAC). */
    void aac(CodecDetails.Aac aac) {
        this.aac = aac;
    }

    /** {@code bytes} (chunked, on the wire) were handed to players. */
    void out(long bytes) {
        if (bytes > 0) {
            bytesOut += bytes;
            long now = System.nanoTime();
            rateOut.add(bytes, now);
            rateOut30.add(bytes, now);
        }
    }

    void videoCodec(VideoCodec codec) {
        this.videoCodec = codec;
    }

    void audioCodec(AudioCodec codec) {
        this.audioCodec = codec;
    }

    void videoSize(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** A new source session, or none: what described the last one no longer applies. */
    void forgetCodecs() {
        videoCodec = VideoCodec.UNKNOWN;
        audioCodec = AudioCodec.UNKNOWN;
        width = 0;
        height = 0;
        avc = null;
        aac = null;
    }

    long framesIn() {
        return framesIn;
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }

    long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    StreamSnapshot snapshot(
            String id,
            StreamKey key,
            String sourceKind,
            String origin,
            String publisherId,
            String tcUrl,
            int players,
            long originSinceMillis,
            long failovers) {
        long now = System.nanoTime();
        return new StreamSnapshot(
                id,
                key,
                sourceKind,
                origin,
                players,
                rateIn.bitsPerSecond(now),
                rateOut.bitsPerSecond(now),
                bytesIn,
                bytesOut,
                framesIn,
                (now - createdNanos) / 1_000_000,
                videoCodec,
                audioCodec,
                width,
                height,
                publisherId,
                tcUrl,
                videoFrames,
                rateIn30.bitsPerSecond(now),
                rateOut30.bitsPerSecond(now),
                avc,
                aac,
                originSinceMillis,
                failovers);
    }
}
