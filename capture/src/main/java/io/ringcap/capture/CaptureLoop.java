package io.ringcap.capture;

import io.ringcap.linux.CpuAffinity;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.MemoryLock;
import io.ringcap.linux.Processes;
import io.ringcap.ring.RingWriter;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Moves packets from one {@link PacketSource} into one ring on a thread of its own, until stopped.
 *
 * <p>The capture thread (optionally pinned to one CPU) polls the source, publishes once per poll that
 * moved anything, calls the {@link IdleStrategy} after every poll and stores a heartbeat about every
 * millisecond (clock reads go through the vDSO: no system call). With an afpacket source and
 * {@link BusySpinIdleStrategy} it therefore makes no system call in the steady state, that is once the
 * JIT has compiled the loop: until then the thread itself asks the compiler threads for work (futex). A housekeeping
 * thread copies the source's own counters (received, dropped) into the ring header every
 * {@value #COUNTER_INTERVAL_MILLIS} ms, because reading them may be a system call (getsockopt), and the
 * interface's with them; it only stores header fields the writer never touches itself.
 *
 * <p>When the loop stops (after {@link #stop()}, or if the source fails) the capture thread publishes what
 * it committed, takes the counters one last time, closes the source and closes the writer, which marks the
 * ring closed. The loop owns both from {@link #start()} on.
 */
public final class CaptureLoop {
    /** How many packets one poll may move before the loop publishes them. */
    public static final int DEFAULT_POLL_LIMIT = 256;
    /**
     * How often the source's and the interface's counters reach the ring header: as often as status shows them.
     * A round costs a few hundred microseconds of CPU (system calls, a procfs text file the kernel generates
     * on every read, code the JIT compiles late because it runs rarely); at 10 rounds a second that was a
     * fifth of the capture thread's own work at 100k packets/s. The last round, when the loop stops, is exact.
     */
    public static final long COUNTER_INTERVAL_MILLIS = 1000;
    private static final long HEARTBEAT_INTERVAL_NANOS = 1_000_000;

    private final PacketSource source;
    private final RingWriter writer;
    private final IdleStrategy idleStrategy;
    private final int cpu;
    private final int pollLimit;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread captureThread;
    private final Thread housekeepingThread;

    private volatile boolean running = true;
    private volatile int captureThreadId = -1;
    private volatile Throwable failure;

    /**
     * @param cpu       the CPU to pin the capture thread to, or -1 to leave it to the scheduler
     * @param pollLimit packets one poll may move before they are published, at least 1
     */
    public CaptureLoop(PacketSource source, RingWriter writer, IdleStrategy idleStrategy, int cpu, int pollLimit) {
        if (pollLimit < 1) {
            throw new IllegalArgumentException("poll limit must be at least 1, got " + pollLimit);
        }
        if (cpu < -1) {
            throw new IllegalArgumentException("CPU numbers start at 0 (or -1 for no pinning), got " + cpu);
        }
        this.source = source;
        this.writer = writer;
        this.idleStrategy = idleStrategy;
        this.cpu = cpu;
        this.pollLimit = pollLimit;
        this.captureThread = Thread.ofPlatform().name("ringcap-capture").unstarted(this::runCapture);
        this.housekeepingThread = Thread.ofPlatform().name("ringcap-counters").daemon().unstarted(this::runHousekeeping);
        writer.timestampSource(source.timestampSource());
    }

    /**
     * Locks the ring's data region in memory and writes to every page of it, so the capture thread never
     * takes a page fault there (mlock needs CAP_IPC_LOCK or a large enough {@code ulimit -l}). Call before
     * dropping privileges and before {@link #start()}. If locking fails the pages are still pre-faulted and
     * the exception says why they are not locked.
     */
    public void lockMemory() {
        try {
            MemoryLock.lockAndPrefault(writer.buffer());
        } catch (LinuxException e) {
            writer.prefault();
            throw new CaptureException("the ring's " + writer.buffer().byteSize() + " bytes are pre-faulted but not"
                + " locked in memory, so the kernel may swap them out: " + e.getMessage(), e);
        }
    }

    /** Starts the capture and housekeeping threads and returns once the capture thread runs. */
    public CaptureLoop start() {
        // Housekeeping first: the capture thread joins it when it stops, which must not race its start.
        housekeepingThread.start();
        captureThread.start();
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** Asks the loop to stop; it finishes the poll it is in, then closes source and ring. */
    public void stop() {
        running = false;
    }

    /** Whether the capture thread is still running. */
    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    /**
     * Waits up to {@code timeout} for the loop to stop and close everything; true if it did.
     *
     * @throws CaptureException if the loop stopped because the source failed
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        boolean done = stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        Throwable cause = failure;
        if (done && cause != null) {
            throw cause instanceof CaptureException capture ? capture
                : new CaptureException("capture stopped: " + cause, cause);
        }
        return done;
    }

    /**
     * The kernel's id of the capture thread (as in /proc/PID/task/TID), for {@code strace -p} and
     * {@code taskset}; -1 before {@link #start()}.
     */
    public int captureThreadId() {
        return captureThreadId;
    }

    /** The source this loop drains. */
    public PacketSource source() {
        return source;
    }

    private void runCapture() {
        try {
            if (cpu >= 0) {
                CpuAffinity.pinCurrentThread(cpu);
            }
            captureThreadId = Processes.currentThreadId();
        } catch (Throwable t) {
            failure = t;
            running = false;
        } finally {
            started.countDown();
        }
        try {
            if (running) {
                capture();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            running = false;
            finish();
        }
    }

    /**
     * The hot loop: everything it calls must be allocation-free and, for afpacket, free of system calls. Its
     * body is a method of its own. This method is entered once, so the JIT compiles its loop only on its
     * back-edge count (on-stack replacement), tens of thousands of turns. A thread that parks when idle turns
     * a few hundred times a second, so it would run the loop interpreted for minutes: 10% of the capture
     * thread's samples at 100k packets/s. {@link #turn} is compiled on its call count within a second.
     */
    private void capture() {
        long nextHeartbeat = System.nanoTime();
        while (running) {
            nextHeartbeat = turn(nextHeartbeat);
        }
    }

    /** One poll, its publication, the idle strategy, and the heartbeat when due; returns when the next is due. */
    private long turn(long nextHeartbeat) {
        int moved = source.poll(writer, pollLimit);
        if (moved > 0) {
            writer.publish();
        }
        idleStrategy.idle(moved);
        long now = System.nanoTime();
        if (now - nextHeartbeat < 0) {
            return nextHeartbeat;
        }
        // currentTimeMillis is a JIT intrinsic on the vDSO clock: no call that the JIT compiles on its own and
        // no system call; a heartbeat needs no more than millisecond precision.
        writer.heartbeat(System.currentTimeMillis() * 1_000_000L);
        return now + HEARTBEAT_INTERVAL_NANOS;
    }

    private void finish() {
        housekeepingThread.interrupt();
        try {
            housekeepingThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.publish();
            copyCounters();
        } catch (Throwable t) {
            recordFailure(t);
        }
        try {
            source.close();
        } catch (Throwable t) {
            recordFailure(t);
        }
        try {
            writer.close();
        } catch (Throwable t) {
            recordFailure(t);
        } finally {
            stopped.countDown();
        }
    }

    private void runHousekeeping() {
        try {
            while (running) {
                copyCounters();
                Thread.sleep(COUNTER_INTERVAL_MILLIS);
            }
        } catch (InterruptedException e) {
            // Stopping: the capture thread takes the counters one last time itself.
        } catch (Throwable t) {
            recordFailure(t);
            running = false;
        }
    }

    private void copyCounters() {
        SourceCounters counters = source.counters();
        writer.sourceCounters(counters.received(), counters.dropped());
        SourceCounters onInterface = source.interfaceCounters();
        if (onInterface != null) {
            writer.interfaceCounters(onInterface.received(), onInterface.dropped());
        }
    }

    private void recordFailure(Throwable t) {
        if (failure == null) {
            failure = t;
        } else if (failure != t) {
            failure.addSuppressed(t);
        }
    }
}
