package io.github.rtmpedge.edge.lifecycle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers QUIT, TERM, INT and HUP to a handler, one at a time and in the order they arrived, on
 * one daemon thread named {@value #THREAD_NAME}. Install it first thing in {@code main}: until
 * then the JVM's defaults apply (QUIT prints a thread dump, TERM/INT/HUP exit).
 *
 * <p><b>Mechanisms.</b> HotSpot refuses {@code sun.misc.Signal.handle(QUIT)} (it keeps SIGQUIT for
 * thread dumps and for starting its attach listener). The preferred mechanism is therefore the
 * native self-pipe library ({@link NativeSignals}) for all four signals: its handler writes each
 * signal's number to one pipe, so signals reach the handler in the order they arrived, even with
 * {@code -Xrs}. A QUIT sent by {@code jcmd}, {@code jstack} or JFR (recognised by the attach trigger
 * file {@code .attach_pid<pid>} they create first) is passed on to the JVM, so those tools keep
 * working. When the library cannot be loaded (disabled, another OS, no usable temporary directory)
 * TERM, INT and HUP arrive through {@code sun.misc.Signal} and QUIT keeps its JVM meaning;
 * {@link #mechanism()} says which and why.
 *
 * <p><b>Ignored signals.</b> A JVM started in the background by {@code sh} inherits INT and QUIT as
 * ignored (SIG_IGN), and {@code nohup} makes HUP ignored. The native library replaces SIG_IGN anyway:
 * a signal sent to the edge on purpose means what docs/architecture.md says, however it was started.
 * {@code sun.misc.Signal} cannot (the JVM silently leaves an ignored signal ignored); the fallback
 * says so in {@link #mechanism()}.
 *
 * <p><b>The handler</b> runs on the dispatcher thread and must return quickly (hand long work such
 * as a drain to another thread): signals arriving meanwhile wait in the pipe (up to 64 KiB of them)
 * and are delivered after it returns. An exception from the handler is logged and delivery goes on.
 * It may call {@link #close()} or {@link System#exit(int)}.
 */
public final class SignalListener implements AutoCloseable {

    /** The name of the thread that calls the handler. */
    public static final String THREAD_NAME = "signal-dispatcher";

    private static final Logger log = LoggerFactory.getLogger(SignalListener.class);
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private final Source source;
    private final Set<ProcessSignal> signals;
    private final String mechanism;
    private final String quitUnavailable;
    private final Consumer<ProcessSignal> handler;
    private final Thread dispatcher;
    private volatile boolean closed;

    private SignalListener(
            Source source,
            Set<ProcessSignal> signals,
            String mechanism,
            String quitUnavailable,
            Consumer<ProcessSignal> handler) {
        this.source = source;
        this.signals = Collections.unmodifiableSet(EnumSet.copyOf(signals));
        this.mechanism = mechanism;
        this.quitUnavailable = quitUnavailable;
        this.handler = handler;
        this.dispatcher = new Thread(this::dispatch, THREAD_NAME);
        dispatcher.setDaemon(true);
    }

    /**
     * Takes over QUIT, TERM, INT and HUP (as far as the mechanism allows) and starts the dispatcher
     * thread. One listener per JVM at a time.
     *
     * @throws IllegalStateException if a listener is installed and not closed
     */
    public static SignalListener install(Consumer<ProcessSignal> handler) {
        Objects.requireNonNull(handler, "handler");
        if (!INSTALLED.compareAndSet(false, true)) {
            throw new IllegalStateException("a SignalListener is already installed");
        }
        try {
            SignalListener listener = create(handler);
            listener.dispatcher.start();
            return listener;
        } catch (RuntimeException | Error e) {
            INSTALLED.set(false);
            throw e;
        }
    }

    private static SignalListener create(Consumer<ProcessSignal> handler) {
        String nativeProblem;
        try {
            Set<ProcessSignal> all = EnumSet.allOf(ProcessSignal.class);
            return new SignalListener(
                    NativeSource.install(NativeSignals.load(), all),
                    all,
                    "native self-pipe for " + names(all),
                    null,
                    handler);
        } catch (NativeSignals.UnavailableException | IOException e) {
            nativeProblem = e.getMessage();
        }
        List<String> problems = new ArrayList<>();
        problems.add("QUIT unavailable: " + nativeProblem);
        Source source;
        Set<ProcessSignal> delivered = EnumSet.noneOf(ProcessSignal.class);
        try {
            source = JavaSource.install(
                    JdkSignals.load(),
                    EnumSet.of(ProcessSignal.TERM, ProcessSignal.INT, ProcessSignal.HUP),
                    delivered,
                    problems);
        } catch (ReflectiveOperationException e) {
            // A runtime image without the jdk.unsupported module.
            problems.add("sun.misc.Signal unavailable: " + e);
            source = new JavaSource(null);
        }
        String mechanism = (delivered.isEmpty() ? "no signals delivered" : "sun.misc.Signal for " + names(delivered))
                + "; " + String.join("; ", problems);
        return new SignalListener(source, delivered, mechanism, nativeProblem, handler);
    }

    /** How signals arrive, e.g. {@code native self-pipe for QUIT, TERM, INT, HUP}, or why some do not. */
    public String mechanism() {
        return mechanism;
    }

    /**
     * Why SIGQUIT cannot be handled (the native library is disabled, absent for this platform or
     * failed to load); empty when it reaches the handler.
     */
    public Optional<String> quitUnavailable() {
        return Optional.ofNullable(quitUnavailable);
    }

    /** The signals that reach the handler. */
    public Set<ProcessSignal> signals() {
        return signals;
    }

    /** Gives the signals back to their previous actions and stops the dispatcher thread. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        source.uninstall();
        source.wake();
        if (Thread.currentThread() != dispatcher) {
            try {
                dispatcher.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        INSTALLED.set(false);
    }

    private void dispatch() {
        while (!closed) {
            Optional<ProcessSignal> signal;
            try {
                signal = source.next();
            } catch (InterruptedException e) {
                continue;
            } catch (IOException e) {
                log.error("signal delivery stopped: {}", e.getMessage());
                return;
            }
            if (signal.isEmpty() || closed) {
                continue;
            }
            try {
                handler.accept(signal.get());
            } catch (RuntimeException e) {
                log.error("the handler for SIG{} failed", signal.get(), e);
            }
        }
    }

    private static String names(Set<ProcessSignal> signals) {
        return signals.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Where the dispatcher thread takes signals from. */
    private interface Source {
        /** The next signal; empty after {@link #wake()} (or for a number that is not ours). */
        Optional<ProcessSignal> next() throws IOException, InterruptedException;

        void wake();

        void uninstall();
    }

    private static final class NativeSource implements Source {
        private final NativeSignals library;
        private final Set<ProcessSignal> installed;

        private NativeSource(NativeSignals library, Set<ProcessSignal> installed) {
            this.library = library;
            this.installed = installed;
        }

        static NativeSource install(NativeSignals library, Set<ProcessSignal> signals) throws IOException {
            NativeSource source = new NativeSource(library, EnumSet.noneOf(ProcessSignal.class));
            try {
                for (ProcessSignal signal : signals) {
                    library.install(signal);
                    source.installed.add(signal);
                }
            } catch (IOException e) {
                source.uninstall();
                throw e;
            }
            return source;
        }

        @Override
        public Optional<ProcessSignal> next() throws IOException {
            return ProcessSignal.ofNumber(library.await());
        }

        @Override
        public void wake() {
            try {
                library.wake();
            } catch (IOException e) {
                log.warn("cannot wake the signal dispatcher: {}", e.getMessage());
            }
        }

        @Override
        public void uninstall() {
            for (ProcessSignal signal : installed) {
                try {
                    library.restore(signal);
                } catch (IOException e) {
                    log.warn("{}", e.getMessage());
                }
            }
        }
    }

    /**
     * The fallback. The JVM runs each {@code sun.misc.Signal} handler on a new thread, so two signals
     * arriving within microseconds may be queued in either order.
     */
    private static final class JavaSource implements Source {
        private final BlockingQueue<Optional<ProcessSignal>> queue = new LinkedBlockingQueue<>();
        private final Map<ProcessSignal, Object> previous = new EnumMap<>(ProcessSignal.class);
        private final JdkSignals jdk;

        private JavaSource(JdkSignals jdk) {
            this.jdk = jdk;
        }

        static JavaSource install(
                JdkSignals jdk, Set<ProcessSignal> signals, Set<ProcessSignal> delivered, List<String> problems) {
            JavaSource source = new JavaSource(jdk);
            for (ProcessSignal signal : signals) {
                try {
                    Object old = jdk.handle(signal, () -> source.queue.add(Optional.of(signal)));
                    if (jdk.isIgnore(old)) {
                        // The JVM leaves an ignored TERM/INT/HUP ignored and installs nothing.
                        problems.add(signal + " ignored (SIG_IGN) as inherited from the parent");
                    } else {
                        source.previous.put(signal, old);
                        delivered.add(signal);
                    }
                } catch (IllegalArgumentException e) {
                    // E.g. with -Xrs: "Signal already used by VM or OS".
                    problems.add(signal + " refused: " + e.getMessage());
                }
            }
            return source;
        }

        @Override
        public Optional<ProcessSignal> next() throws InterruptedException {
            return queue.take();
        }

        @Override
        public void wake() {
            queue.add(Optional.empty());
        }

        @Override
        public void uninstall() {
            previous.forEach((signal, old) -> jdk.restore(signal, old));
        }
    }
}
