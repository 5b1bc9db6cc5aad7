package io.ringcap.traffic;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.ringcap.linux.NetworkNamespace;

/**
 * One host of a {@link TestNetwork}: a named network namespace holding one end of the veth pair,
 * with its address, and ways to run code in it.
 * <p>
 * A network namespace belongs to a thread, not to the process: sockets opened by a thread that
 * has entered this namespace live in it. {@link #call} runs tasks one after another on this host's
 * own platform thread, which entered the namespace once; {@link #newThread} makes a further thread
 * for work that runs long (a capture or send loop) and must not hold that thread up.
 * {@link #processBuilder} runs another program in the namespace.
 */
public final class NamespaceHost {
    private final String namespace;
    private final String interfaceName;
    private final Inet4Address address;
    private final int prefixLength;
    private final IpCommand ip;
    private final ExecutorService thread;
    private volatile Thread entered;
    private volatile int interfaceIndex;

    NamespaceHost(String namespace, String interfaceName, Inet4Address address, int prefixLength, IpCommand ip) {
        this.namespace = namespace;
        this.interfaceName = interfaceName;
        this.address = address;
        this.prefixLength = prefixLength;
        this.ip = ip;
        this.thread = Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().name("ringcap-netns-" + namespace).daemon().unstarted(task));
    }

    /** The namespace's name, as {@code ip netns list} shows it (e.g. {@code ringcap-rx-3fa9c1}). */
    public String namespace() {
        return namespace;
    }

    /** The name of this host's end of the veth pair inside its namespace (e.g. {@code veth-rx}). */
    public String interfaceName() {
        return interfaceName;
    }

    /** The kernel's index of {@link #interfaceName()} inside the namespace, for IP_MULTICAST_IF, joins and bind. */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    /** This host's IPv4 address on the veth, which exists only inside this namespace. */
    public Inet4Address address() {
        return address;
    }

    /** The prefix length of {@link #address()} (30: the two hosts and nothing else). */
    public int prefixLength() {
        return prefixLength;
    }

    /**
     * Runs {@code task} on this host's own thread, inside the namespace, and returns its result.
     * Tasks run one at a time in the order given, so a task must not call this host's {@code call}
     * itself (it would wait for itself). A runtime exception or error of the task is rethrown as
     * is; a checked one arrives wrapped in a {@link TrafficException}.
     */
    public <T> T call(Callable<T> task) {
        Future<T> result = thread.submit(() -> {
            enterOnce();
            return task.call();
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new TrafficException("interrupted while waiting for a task in " + namespace, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new TrafficException("a task in network namespace " + namespace + " failed: " + cause, cause);
        }
    }

    /** As {@link #call}, for a task without a result. */
    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /**
     * A new, unstarted platform thread that enters this namespace and then runs {@code task}; for
     * loops that run long. Stop it before closing the {@link TestNetwork}: a thread (or socket)
     * still in the namespace keeps the namespace, and its veth, alive after its name is gone.
     */
    public Thread newThread(String name, Runnable task) {
        return Thread.ofPlatform().name(name).unstarted(() -> {
            NetworkNamespace.enterNamed(namespace);
            task.run();
        });
    }

    /**
     * A process builder for {@code command} inside this namespace ({@code ip netns exec}). ip gives
     * the command a /sys of the namespace, freshly mounted: it has no bpffs, so pinned BPF objects
     * under /sys/fs/bpf are not visible there.
     */
    public ProcessBuilder processBuilder(String... command) {
        List<String> full = new ArrayList<>(List.of(ip.executable().toString(), "netns", "exec", namespace));
        full.addAll(List.of(command));
        return new ProcessBuilder(full);
    }

    @Override
    public String toString() {
        return namespace + " (" + interfaceName + " " + address.getHostAddress() + "/" + prefixLength + ")";
    }

    void interfaceIndex(int index) {
        interfaceIndex = index;
    }

    /** Stops this host's thread so that it no longer holds the namespace. */
    void stop() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enterOnce() {
        if (entered != Thread.currentThread()) {
            NetworkNamespace.enterNamed(namespace);
            entered = Thread.currentThread();
        }
    }
}
