package io.github.rtmpedge.bench;

/** The run settings every benchmark class here shares; see the class annotations that repeat them. */
final class Harness {

    /** Seconds of media in the mix: ~2.6 MB on the wire, five keyframes. */
    static final int MEDIA_SECONDS = 10;
    /** What one socket read hands the decoder (Netty's adaptive allocator reaches 16 KiB under load). */
    static final int READ_SIZE = 16 * 1024;

    private Harness() {
    }
}
