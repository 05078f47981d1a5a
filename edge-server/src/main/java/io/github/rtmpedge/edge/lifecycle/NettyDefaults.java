package io.github.rtmpedge.edge.lifecycle;

import io.netty.buffer.ByteBufAllocator;
import java.util.Locale;
import java.util.Properties;

/**
 * The server's own Netty defaults, set as system properties before any Netty class reads them; a
 * property the user set ({@code -D...} or {@code JAVA_TOOL_OPTIONS}) stands.
 *
 * <p>{@code io.netty.allocator.type=pooled}: one allocator for every buffer. The shared, chunked
 * frames that every player of a stream writes come from the pooled allocator (they are released on
 * whichever loop lets go last, and its arenas are what the metrics report); with Netty 4.2's
 * default, the adaptive allocator, the connections' own buffers came from a second set of chunks
 * beside those. Measured with edge-bench (200 encoders on the publish edge: 449 against 549-559 KiB
 * of RSS per stream; 2000 players: 22-27 against 26-31 KiB per player), for the same CPU and about
 * 5 MB more at idle.
 */
public final class NettyDefaults {

    static final String ALLOCATOR_TYPE = "io.netty.allocator.type";

    private NettyDefaults() {}

    /** Sets the defaults the user has not set, in {@code properties}; call before Netty loads. */
    public static void apply(Properties properties) {
        if (properties.getProperty(ALLOCATOR_TYPE) == null) {
            properties.setProperty(ALLOCATOR_TYPE, "pooled");
        }
    }

    /**
     * The allocator Netty really took ({@code pooled}, {@code adaptive}, {@code unpooled}), for the
     * start-up line: our choice, the user's, or Netty's own if it loaded before {@link #apply}.
     */
    public static String allocatorInUse() {
        return ByteBufAllocator.DEFAULT
                .getClass()
                .getSimpleName()
                .replace("ByteBufAllocator", "")
                .toLowerCase(Locale.ROOT);
    }
}
