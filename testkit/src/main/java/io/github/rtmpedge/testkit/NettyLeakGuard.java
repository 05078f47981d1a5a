package io.github.rtmpedge.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns a Netty LEAK report into a test failure.
 *
 * <p>Registered for every test class through JUnit's extension auto-detection
 * ({@code META-INF/services}). It installs, before the first buffer class is initialised, a leak
 * detector factory whose detectors record each report (and still log it). After every test class
 * it collects garbage, makes the detectors poll their reference queues and fails the class if any
 * leak was reported since the previous check; the failure carries Netty's access records. Run with {@code -Dio.netty.leakDetection.level=paranoid}
 * so that every buffer is tracked.
 */
public final class NettyLeakGuard implements AfterAllCallback {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> found = drain();
        if (!found.isEmpty()) {
            throw new AssertionError("Netty reported " + found.size() + " buffer leak(s) after "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", found));
        }
    }

    /** Forces the detectors to report what the garbage collector found unreleased, then returns and clears it. */
    public static List<String> drain() {
        for (int round = 0; round < 3; round++) {
            collectAndAwaitReferenceProcessing();
            // Each tracked allocation polls the detector's reference queue and reports what it finds.
            for (int i = 0; i < 16; i++) {
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(8);
                pooled.release();
                ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.buffer(8);
                unpooled.release();
                ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                direct.release();
            }
        }
        List<String> out = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            out.add(leak);
        }
        return out;
    }

    /**
     * A collection, then a wait until the JVM's reference handler has enqueued what it cleared: a
     * sentinel collected in the same cycle as a leaked buffer reaches its queue in the same batch,
     * so the detectors' queues are filled once it arrives, however busy the machine is.
     */
    private static void collectAndAwaitReferenceProcessing() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            System.gc();
            try {
                if (queue.remove(100) == sentinel) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(
                    "LEAK: " + resourceType + ".release() was not called before it was garbage-collected (untraced).");
        }
    }
}
