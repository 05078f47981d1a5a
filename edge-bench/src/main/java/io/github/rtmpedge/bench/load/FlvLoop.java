package io.github.rtmpedge.bench.load;

/**
 * An FLV file's tags as an endless stream: the file's order, over and over, each tag stamped with
 * when it is due (milliseconds from the stream's start), every pass {@link FlvSource#loopMillis()}
 * later than the one before, so timestamps keep increasing across the wrap. Setup tags (script
 * data, sequence headers) go out on the first pass only: a repeated sequence header would tell a
 * decoder the codec changed. One instance per connection, touched only on its event loop.
 */
final class FlvLoop {

    private final FlvSource source;
    private int index;
    private long passOffsetMillis;
    private boolean firstPass = true;

    FlvLoop(FlvSource source) {
        this.source = source;
    }

    /** When the current tag is due, in milliseconds from the start; also its RTMP timestamp. */
    long dueMillis() {
        return passOffsetMillis + source.offsetMillis(index);
    }

    /** The current tag's index in the file. */
    int index() {
        return index;
    }

    /** Whether the current tag is sent (false: a setup tag on a later pass, skipped). */
    boolean sendsCurrent() {
        return firstPass || !source.isSetup(index);
    }

    /** Moves to the next tag, wrapping to the file's start one loop later. */
    void advance() {
        index++;
        if (index == source.size()) {
            index = 0;
            passOffsetMillis += source.loopMillis();
            firstPass = false;
        }
    }

    /** How many times the file started over. */
    long passes() {
        return passOffsetMillis / source.loopMillis();
    }
}
