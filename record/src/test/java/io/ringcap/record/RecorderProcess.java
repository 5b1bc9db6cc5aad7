package io.ringcap.record;

import java.nio.file.Path;

/**
 * Child JVM of {@link CrashResumeTest}: records a ring into a directory until the ring's writer closes it,
 * then prints its counters on stdout.
 */
public final class RecorderProcess {
    private RecorderProcess() {
    }

    public static void main(String[] args) throws Exception {
        RecorderOptions options = RecorderOptions.of(Path.of(args[0]), Path.of(args[1]))
            .withRotation(Long.parseLong(args[2]), 0).withUntilClosed(true);
        try (Recorder recorder = Recorder.open(options, line -> System.err.println("recorder: " + line))) {
            System.out.println("ready");
            System.out.flush();
            recorder.run(() -> true);
            recorder.close();
            RecorderStatus status = recorder.status();
            System.out.println("done " + status.packets() + " " + status.lostToLaps() + " " + status.lostToDisk());
        }
    }
}
