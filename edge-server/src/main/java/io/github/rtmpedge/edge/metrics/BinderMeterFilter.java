package io.github.rtmpedge.edge.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;

/**
 * Makes the third-party binders' meters pass {@code promtool check metrics} without warnings:
 * Netty's allocator meters get the help text they lack; {@code process.cpu.time} (in the
 * abbreviated unit "ns"; {@code process.cpu.usage} remains) is left out; {@code system.cpu.count}
 * (a gauge whose name ends in the reserved {@code _count}) becomes {@code system.cpu.processors}.
 */
final class BinderMeterFilter implements MeterFilter {

    static final BinderMeterFilter INSTANCE = new BinderMeterFilter();

    private static final Map<String, String> NETTY_HELP = Map.of(
            "netty.allocator.memory.used", "Memory the Netty allocator has reserved (heap or direct), in bytes",
            "netty.allocator.memory.pinned", "Memory of the Netty allocator in use by buffers (pinned), in bytes",
            "netty.allocator.pooled.arenas", "Arenas of the Netty pooled allocator (heap or direct)",
            "netty.allocator.pooled.cache.size", "Cache size of the Netty pooled allocator (small or normal)",
            "netty.allocator.pooled.chunk.size", "Chunk size of the Netty pooled allocator, in bytes",
            "netty.allocator.pooled.threadlocal.caches", "Thread-local caches of the Netty pooled allocator");

    private BinderMeterFilter() {}

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals("process.cpu.time") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getName().equals("system.cpu.count")) {
            return id.withName("system.cpu.processors");
        }
        String help = NETTY_HELP.get(id.getName());
        if (help != null && id.getDescription() == null) {
            return new Meter.Id(
                    id.getName(),
                    io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
                    id.getBaseUnit(),
                    help,
                    id.getType());
        }
        return id;
    }
}
