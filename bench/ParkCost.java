import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * What one park costs the parked thread in CPU time on this machine, with nothing else to do: the floor under
 * every wake-up of a capture that parks when idle (bench/capture-threads.sh prints it beside its runs column).
 * For each park time, one thread parks that long again and again; its CPU time (schedstat) is divided by the
 * parks. On this project's VMs it is tens of µs, and grows with the time asleep.
 *
 *   java bench/ParkCost.java [PARK_MICROS...]      default: 50 1000 10000
 */
public class ParkCost {
    private static final long MEASURED_NANOS = 1_000_000_000L;

    public static void main(String[] args) throws Exception {
        long[] micros = args.length == 0 ? new long[] {50, 1000, 10_000} : new long[args.length];
        for (int i = 0; i < args.length; i++) {
            try {
                micros[i] = Long.parseLong(args[i]);
            } catch (NumberFormatException e) {
                micros[i] = -1;
            }
            if (micros[i] < 1 || micros[i] > 1_000_000) {
                System.err.println("ParkCost: park time '" + args[i]
                    + "' is not a whole number of microseconds from 1 to 1000000");
                System.exit(2);
            }
        }
        for (long parkMicros : micros) {
            long[] result = new long[3];
            Runnable measure = () -> {
                long parkNanos = parkMicros * 1000;
                int parks = (int) Math.max(20, MEASURED_NANOS / parkNanos);
                for (int i = 0; i < 20; i++) {
                    LockSupport.parkNanos(parkNanos);
                }
                long[] before = schedstat();
                for (int i = 0; i < parks; i++) {
                    LockSupport.parkNanos(parkNanos);
                }
                long[] after = schedstat();
                result[0] = parks;
                result[1] = after[0] - before[0];
                result[2] = after[1] - before[1];
            };
            Thread thread = new Thread(measure, "park-cost");
            thread.start();
            thread.join();
            System.out.printf("park %d us: %.1f us of CPU a park (%d parks, %d runs)%n",
                parkMicros, result[1] / 1e3 / result[0], result[0], result[2]);
        }
    }

    /** The calling thread's CPU ns and runs on a CPU, from /proc/thread-self/schedstat. */
    private static long[] schedstat() {
        try {
            String[] fields = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ");
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[2])};
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/thread-self/schedstat (needs Linux with schedstats)", e);
        }
    }
}
