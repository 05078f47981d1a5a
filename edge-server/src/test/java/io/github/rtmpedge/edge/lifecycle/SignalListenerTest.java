package io.github.rtmpedge.edge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener's life cycle inside this JVM (no signals are sent here; see SignalListenerProcessTest). */
class SignalListenerTest {

    private static List<String> dispatcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(SignalListener.THREAD_NAME))
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                .toList();
    }

    @Test
    void oneDaemonDispatcherThreadRunsWhileInstalled() {
        try (SignalListener listener = SignalListener.install(signal -> {})) {
            assertEquals(List.of(SignalListener.THREAD_NAME + " (daemon)"), dispatcherThreads(), listener.mechanism());
        }
    }

    @Test
    @SuppressWarnings("try") // the first listener only has to stay installed for the block
    void aSecondListenerIsRefusedWhileOneIsInstalled() {
        try (SignalListener listener = SignalListener.install(signal -> {})) {
            assertThrows(IllegalStateException.class, () -> SignalListener.install(signal -> {}));
        }
    }

    @Test
    @SuppressWarnings("try") // the second listener only has to stay installed for the block
    void closeStopsTheDispatcherAndAllowsANewListener() {
        SignalListener.install(signal -> {}).close();
        List<String> afterClose = dispatcherThreads();
        try (SignalListener again = SignalListener.install(signal -> {})) {
            assertEquals(
                    List.of(List.of(), List.of(SignalListener.THREAD_NAME + " (daemon)")),
                    List.of(afterClose, dispatcherThreads()));
        }
    }
}
