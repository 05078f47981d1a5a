package io.github.rtmpedge.edge.lifecycle;

import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link SignalListenerProcessTest}: installs a {@link SignalListener}, prints
 * {@code ready <pid> <mechanism>}, then {@code signal <NAME>} for every signal, and exits on TERM.
 */
public final class SignalProbeMain {

    private SignalProbeMain() {}

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch terminated = new CountDownLatch(1);
        SignalListener listener = SignalListener.install(signal -> {
            System.out.println("signal " + signal);
            System.out.flush();
            if (signal == ProcessSignal.TERM) {
                terminated.countDown();
            }
        });
        System.out.println("ready " + ProcessHandle.current().pid() + " " + listener.mechanism());
        System.out.flush();
        terminated.await();
        listener.close();
    }
}
