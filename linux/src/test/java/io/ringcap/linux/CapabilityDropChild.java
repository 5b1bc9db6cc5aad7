package io.ringcap.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Run in a child JVM by {@link CapabilitiesTest}: drops every capability, then prints the CapEff
 * and CapPrm lines of every thread as /proc shows them and exits 0 if all are zero.
 */
public final class CapabilityDropChild {
    private CapabilityDropChild() {
    }

    public static void main(String[] arguments) throws Exception {
        CountDownLatch end = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            Thread.ofPlatform().daemon().name("idle-" + i).start(() -> awaitQuietly(end));
        }
        int before = Capabilities.ofAllThreads().size();

        Capabilities.dropAll(65534, 65534);

        boolean clean = true;
        int threads = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                List<String> lines = Files.readAllLines(task.resolve("status")).stream()
                    .filter(line -> line.startsWith("CapEff:") || line.startsWith("CapPrm:"))
                    .toList();
                for (String line : lines) {
                    System.out.println(task.getFileName() + " " + line);
                    clean &= line.endsWith("0000000000000000");
                }
                threads++;
            }
        }
        System.out.println("threads before " + before + " after " + threads
            + " effective " + Long.toHexString(Capabilities.ofCurrentThread().effective()));
        end.countDown();
        System.exit(clean && Capabilities.ofCurrentThread().effective() == 0 ? 0 : 3);
    }

    private static void awaitQuietly(CountDownLatch end) {
        try {
            end.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
