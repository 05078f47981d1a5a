package io.github.rtmpedge.bench;

/**
 * Settings every benchmark class here shares. The run lengths keep the whole suite to a few
 * minutes on two cores: one fork, 3 × 2 s warm-up, 5 × 2 s measurement per benchmark and parameter.
 */
final class Harness {

    /** Seconds of media in the mix: ~2.66 MB on the wire, five keyframes. */
    static final int MEDIA_SECONDS = 10;
    /** What one socket read hands the decoder (Netty's adaptive allocator reaches 16 KiB under load). */
    static final int READ_SIZE = 16 * 1024;

    /** Benchmarks measure the codec, not the leak detector's sampling. */
    static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";
    /** A fixed heap so that resizing does not show in the figures. */
    static final String HEAP_MIN = "-Xms1g";

    static final String HEAP_MAX = "-Xmx1g";

    static final int WARMUP_ITERATIONS = 3;
    static final int MEASUREMENT_ITERATIONS = 5;
    static final int ITERATION_SECONDS = 2;

    private Harness() {}
}
