package io.ringcap.traffic;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The iproute2 {@code ip} program, run to set a test network up and tear it down. Set-up only: each
 * call starts a process and waits for it.
 */
final class IpCommand {
    static final String MISSING =
        "needs `ip` from iproute2 to create network namespaces: install it (apt-get install iproute2) "
            + "or put it on PATH";
    static final String NOT_PERMITTED = "needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) to create network namespaces";

    /** Where distributions install ip; searched after PATH, which often lacks /usr/sbin for non-root users. */
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");
    private static final long TIMEOUT_SECONDS = 10;

    private final Path executable;

    private IpCommand(Path executable) {
        this.executable = executable;
    }

    /** The ip program on PATH or in the system directories, if there is one. */
    static Optional<IpCommand> find() {
        List<String> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(File.pathSeparator)));
        }
        directories.addAll(SYSTEM_DIRECTORIES);
        return directories.stream()
            .filter(directory -> !directory.isEmpty())
            .map(directory -> Path.of(directory, "ip"))
            .filter(Files::isExecutable)
            .findFirst()
            .map(IpCommand::new);
    }

    /** The ip program, or a {@link TrafficException} saying how to get it. */
    static IpCommand require() {
        return find().orElseThrow(() -> new TrafficException(MISSING));
    }

    Path executable() {
        return executable;
    }

    /**
     * Runs {@code ip arguments…} and returns what it printed; a {@link TrafficException} with ip's
     * own error message if it fails, and the privilege needed if that was the reason.
     */
    String run(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        String shown = "`ip " + String.join(" ", arguments) + "`";
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            // Both streams are drained concurrently so that a chatty ip cannot block on a full pipe.
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
            String output = text(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TrafficException(shown + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String error = errors.get().strip();
            if (process.exitValue() != 0) {
                String message = shown + " failed (exit " + process.exitValue() + "): " + error;
                throw new TrafficException(
                    error.contains("Operation not permitted") ? message + " — " + NOT_PERMITTED : message);
            }
            return output;
        } catch (IOException e) {
            throw new TrafficException(shown + " could not be started: " + e.getMessage() + " — " + MISSING, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrafficException(shown + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new TrafficException(shown + ": cannot read its error output", e.getCause());
        }
    }

    private static String text(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
