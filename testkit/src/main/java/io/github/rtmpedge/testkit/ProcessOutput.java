package io.github.rtmpedge.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A process's output: every line to a log file as it arrives, and the last lines in memory for
 * quick searches and failure messages. A daemon thread pumps it until the process's stream ends.
 */
final class ProcessOutput {

    private final Path logFile;
    private final int tailLines;
    private final Deque<String> tail = new ArrayDeque<>();

    ProcessOutput(Path logFile, int tailLines) {
        this.logFile = logFile;
        this.tailLines = tailLines;
    }

    Path logFile() {
        return logFile;
    }

    /** Starts the thread that copies {@code in} line by line to {@code log} (closed at the end). */
    Thread pump(String threadName, InputStream in, OutputStream log) {
        Thread reader = new Thread(() -> copy(in, log), threadName);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /** The whole output so far, from the log file. */
    List<String> lines() {
        try {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile, e);
        }
    }

    Optional<String> firstMatch(Pattern pattern) {
        synchronized (tail) {
            for (String line : tail) {
                if (pattern.matcher(line).find()) {
                    return Optional.of(line);
                }
            }
        }
        // The tail is bounded; the log file has every line.
        return lines().stream().filter(l -> pattern.matcher(l).find()).findFirst();
    }

    private void copy(InputStream in, OutputStream log) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in;
                log) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n' || b == '\r') {
                        endLine(line, log);
                    } else {
                        line.write(b);
                    }
                }
            }
            endLine(line, log);
        } catch (IOException e) {
            // The stream closes when the process is killed; what was read is already in the log.
        }
    }

    private void endLine(ByteArrayOutputStream line, OutputStream log) throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        log.write(text.getBytes(StandardCharsets.UTF_8));
        log.write('\n');
        log.flush();
        synchronized (tail) {
            tail.addLast(text);
            while (tail.size() > tailLines) {
                tail.removeFirst();
            }
        }
    }
}
