package io.ringcap.bench;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Reader threads that consume a buffer while a benchmark's writer fills it, each through its own reader and
 * its own read-only mapping, as reader processes would.
 *
 * <p>They poll like a recorder: flat out while there is work, backing off (spin, yield, then park) once
 * caught up. So on a machine with fewer cores than threads an idle reader does not take the writer's core;
 * a reader that always has work still does, and figures for more threads than cores measure time slicing
 * as much as the buffer.
 */
final class ReaderThreads implements AutoCloseable {
    /** One reader of the buffer under test; used by one thread only. */
    interface Reader extends AutoCloseable {
        /** Consumes what is available, touching every byte; returns the number of records consumed. */
        int poll();

        /** Records consumed so far. */
        long records();

        /** Times the writer lapped this reader. */
        long laps();

        @Override
        void close();
    }

    /** A reader on a read-only mapping of its own, which it unmaps at close; it counts its records and laps. */
    abstract static class MappingReader implements Reader {
        /** Holds the reader's mapping. */
        protected final Arena arena = Arena.ofShared();
        protected long records;
        protected long laps;

        @Override
        public final long records() {
            return records;
        }

        @Override
        public final long laps() {
            return laps;
        }

        @Override
        public final void close() {
            arena.close();
        }
    }

    private final List<Reader> readers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    private ReaderThreads() {
    }

    /** Opens {@code count} readers with {@code open} (on this thread, so failures surface here) and starts them. */
    static ReaderThreads start(int count, IntFunction<Reader> open) {
        ReaderThreads readerThreads = new ReaderThreads();
        for (int i = 0; i < count; i++) {
            Reader reader = open.apply(i);
            readerThreads.readers.add(reader);
            Thread thread = Thread.ofPlatform().name("bench-reader-" + i).daemon().unstarted(
                () -> readerThreads.pollUntilStopped(reader));
            readerThreads.threads.add(thread);
            thread.start();
        }
        return readerThreads;
    }

    private void pollUntilStopped(Reader reader) {
        IdleStrategy idle = new BackoffIdleStrategy();
        try {
            while (running) {
                idle.idle(reader.poll());
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * One line on what the readers did, so a run shows they really consumed records (JMH passes a fork's
     * output through).
     */
    String summary() {
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < readers.size(); i++) {
            summary.append(i == 0 ? "" : ", ").append("reader ").append(i).append(": ")
                .append(readers.get(i).records()).append(" records, ").append(readers.get(i).laps()).append(" laps");
        }
        return summary.toString();
    }

    /** Stops and joins the threads, closes the readers, and rethrows what a reader thread failed with. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping reader threads", e);
        } finally {
            readers.forEach(Reader::close);
        }
        if (failure != null) {
            throw new IllegalStateException("a reader thread failed", failure);
        }
    }
}
