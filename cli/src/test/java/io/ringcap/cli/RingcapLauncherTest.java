package io.ringcap.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the real {@code ringcap} launcher script end to end. Tests run before Maven packages the jar, so the
 * script is copied into a scratch tree laid out as a build leaves it (cli/target/ringcap-cli-*.jar naming
 * its dependencies in cli/target/lib) with no sources and no mvnw: the launcher must find a JDK 25, see that
 * nothing needs building, and run the jar, from another directory and through a symlink.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RingcapLauncherTest {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    static Path tree;

    static Path symlink;

    @BeforeAll
    static void layOutABuiltTree() throws IOException {
        Path script = Path.of("").toAbsolutePath().resolveSibling("ringcap");
        Files.copy(script, tree.resolve("ringcap"), StandardCopyOption.COPY_ATTRIBUTES);
        Path target = Files.createDirectories(tree.resolve("cli/target"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        List<String> classPath = new ArrayList<>();
        int directories = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (path.endsWith("test-classes")) {
                continue;
            }
            Path jar = lib.resolve(Files.isDirectory(path) ? "classes-" + directories++ + ".jar" : path.getFileName().toString());
            if (Files.isDirectory(path)) {
                writeJar(jar, new Manifest(), path);
            } else {
                Files.copy(path, jar, StandardCopyOption.REPLACE_EXISTING);
            }
            classPath.add("lib/" + jar.getFileName());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Ringcap.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        writeJar(target.resolve("ringcap-cli-0.0.0-test.jar"), manifest, null);
        symlink = Files.createSymbolicLink(Files.createDirectories(tree.resolve("bin")).resolve("ringcap"),
            tree.resolve("ringcap"));
    }

    @Test
    void printsTheVersionThroughASymlinkFromAnotherDirectory(@TempDir Path workingDirectory) throws Exception {
        Run run = launch(workingDirectory, "--version");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("ringcap ").contains("Java " + Runtime.version().feature());
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void createsARingRelativeToTheCallersDirectory(@TempDir Path workingDirectory) throws Exception {
        Run create = launch(workingDirectory, "ring", "create", "a.ring", "--size", "64k");
        Run status = launch(workingDirectory, "status", "a.ring", "--json");

        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out()).startsWith("created    a.ring");
        assertThat(workingDirectory.resolve("a.ring")).exists();
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("\"capacity_bytes\" : 65536");
    }

    @Test
    void passesTheExitCodeAndOneLineErrorThrough(@TempDir Path workingDirectory) throws Exception {
        Run missing = launch(workingDirectory, "status", "missing.ring");
        Run usage = launch(workingDirectory, "ring", "create", "a.ring", "--size", "garbage");

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("ringcap: no ring at missing.ring").hasLineCount(1);
        assertThat(usage.exitCode()).isEqualTo(2);
    }

    /**
     * Root reads any file, so this runs the launcher as {@code nobody} (through setpriv) to see a real
     * permission failure; {@code StatusCommandTest} covers it in-process when the tests do not run as root.
     */
    @Test
    void unreadableRingFailsForAnUnprivilegedUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(SETPRIV),
            "needs root and setpriv to run as nobody");
        Path ring = TestRings.create(Files.createDirectories(tree.resolve("rings")));
        makeTreeReadableByAll();
        Files.setPosixFilePermissions(ring, PosixFilePermissions.fromString("---------"));

        Run run = run(Path.of("/"), SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups",
            symlink.toString(), "status", ring.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ringcap: cannot open ring " + ring + " for reading: permission denied (check"
            + " the file's owner and mode, e.g. 'ls -l " + ring + "')\n");
    }

    private static void makeTreeReadableByAll() throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.toList()) {
                if (!Files.isSymbolicLink(path)) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) || Files.isExecutable(path) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run launch(Path workingDirectory, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(symlink.toString()));
        command.addAll(List.of(args));
        return run(workingDirectory, command.toArray(String[]::new));
    }

    private static Run run(Path workingDirectory, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("RINGCAP_JAVA_OPTS");
        builder.environment().remove("RINGCAP_DEBUG");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        return new Run(process.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static void writeJar(Path jar, Manifest manifest, Path classes) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            if (classes == null) {
                return;
            }
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path path : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
                    Files.copy(path, out);
                    out.closeEntry();
                }
            }
        }
    }
}
