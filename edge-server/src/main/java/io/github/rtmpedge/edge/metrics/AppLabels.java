package io.github.rtmpedge.edge.metrics;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code app} label's values, bounded: the first {@code max} distinct apps keep their name,
 * every later one (and an empty app) is {@link #OTHER}. An app is the client's choice, so without
 * the bound a client inventing apps would grow the series without end. Thread-safe.
 */
public final class AppLabels {

    /** The value of every app past the bound. */
    public static final String OTHER = "other";

    private final int max;
    private final ConcurrentHashMap<String, String> known = new ConcurrentHashMap<>();

    public AppLabels(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max + " < 1");
        }
        this.max = max;
    }

    /** The label value of {@code app}. */
    public String of(String app) {
        if (app == null || app.isEmpty()) {
            return OTHER;
        }
        String value = known.get(app);
        if (value != null) {
            return value;
        }
        synchronized (this) { // the check and the insert together, so the bound holds
            value = known.get(app);
            if (value == null && known.size() < max) {
                known.put(app, app);
                value = app;
            }
        }
        return value == null ? OTHER : value;
    }

    /** Apps with a label of their own so far. */
    public int size() {
        return known.size();
    }
}
