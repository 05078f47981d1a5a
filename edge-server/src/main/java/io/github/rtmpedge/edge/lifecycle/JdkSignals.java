package io.github.rtmpedge.edge.lifecycle;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached by reflection so that the build
 * stays free of javac's "internal proprietary API" warnings, which cannot be suppressed.
 */
final class JdkSignals {

    private final Class<?> handlerType;
    private final Method handle;
    private final Object ignore;
    private final Constructor<?> signal;

    private JdkSignals(Class<?> signalType, Class<?> handlerType) throws ReflectiveOperationException {
        this.handlerType = handlerType;
        this.handle = signalType.getMethod("handle", signalType, handlerType);
        this.ignore = handlerType.getField("SIG_IGN").get(null);
        this.signal = signalType.getConstructor(String.class);
    }

    /** Finds {@code sun.misc.Signal}; fails on a runtime image without {@code jdk.unsupported}. */
    static JdkSignals load() throws ReflectiveOperationException {
        return new JdkSignals(Class.forName("sun.misc.Signal"), Class.forName("sun.misc.SignalHandler"));
    }

    /**
     * Runs {@code action} (on a thread the JVM starts for each signal) when the signal arrives and
     * returns the previous handler, for {@link #restore}.
     *
     * @throws IllegalArgumentException when the JVM refuses the signal (QUIT; TERM/INT/HUP with -Xrs)
     */
    Object handle(ProcessSignal which, Runnable action) {
        Object handler = Proxy.newProxyInstance(
                handlerType.getClassLoader(), new Class<?>[] {handlerType}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "handle" -> action.run();
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "toString" -> {
                            return "SignalListener handler for SIG" + which;
                        }
                        default -> throw new IllegalStateException("sun.misc.SignalHandler has no method " + method);
                    }
                    return null;
                });
        return install(which, handler);
    }

    /** Puts back a handler {@link #handle} returned. */
    void restore(ProcessSignal which, Object previous) {
        install(which, previous);
    }

    /** True for {@code SignalHandler.SIG_IGN}: the JVM left an ignored signal ignored and installed nothing. */
    boolean isIgnore(Object handler) {
        return handler == ignore;
    }

    private Object install(ProcessSignal which, Object handler) {
        try {
            return handle.invoke(null, signal.newInstance(which.name()), handler);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
