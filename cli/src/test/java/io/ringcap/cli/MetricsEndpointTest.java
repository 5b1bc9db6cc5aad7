package io.ringcap.cli;

import io.ringcap.record.Recorder;
import io.ringcap.record.RecorderOptions;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsEndpointTest {
    @TempDir
    Path directory;

    @Test
    void captureCountersAreScrapedFromTheRingHeader() throws Exception {
        Path ring = TestRings.create(directory);
        try (RingWriter writer = TestRings.openWriter(ring);
             RingFile view = RingFile.openForReading(ring);
             MetricsEndpoint endpoint = MetricsEndpoint.forCapture(MetricsAddress.parse("127.0.0.1:0", false), ring,
                 view.header())) {
            TestRings.write(writer, 5);
            writer.sourceCounters(1000, 3);

            String metrics = scrape(endpoint.port());

            String labels = "{ring=\"" + ring + "\"}";
            assertThat(metrics)
                .contains("# TYPE ringcap_capture_packets_total counter")
                .contains("ringcap_capture_packets_total" + labels + " 5.0")
                .contains("ringcap_capture_bytes_total" + labels + " 300.0")
                .contains("ringcap_capture_source_packets_total" + labels + " 1000.0")
                .contains("ringcap_capture_source_drops_total" + labels + " 3.0")
                .contains("ringcap_capture_truncated_packets_total" + labels + " 0.0")
                .contains("ringcap_capture_ring_capacity_bytes" + labels + " 65536.0")
                .contains("ringcap_capture_heartbeat_timestamp_seconds" + labels);
            writer.sourceCounters(1000, 7);
            assertThat(scrape(endpoint.port())).contains("ringcap_capture_source_drops_total" + labels + " 7.0");
        }
    }

    @Test
    void recorderCountersAreScraped() throws Exception {
        Path ring = TestRings.closedRingWith(directory, 4);
        try (Recorder recorder = Recorder.open(RecorderOptions.of(ring, directory.resolve("rec")).withUntilClosed(true),
                 event -> { });
             MetricsEndpoint endpoint = MetricsEndpoint.forRecorder(MetricsAddress.parse("0", false), ring, recorder)) {
            recorder.run(() -> true);

            String metrics = scrape(endpoint.port());

            String labels = "{ring=\"" + ring + "\"}";
            assertThat(metrics)
                .contains("# TYPE ringcap_record_packets_written_total counter")
                .contains("ringcap_record_packets_written_total" + labels + " 4.0")
                .contains("ringcap_record_bytes_written_total" + labels + " 240.0")
                .contains("ringcap_record_lap_drops_total" + labels + " 0.0")
                .contains("ringcap_record_disk_drops_total" + labels + " 0.0")
                .contains("ringcap_record_disk_errors_total" + labels + " 0.0")
                .contains("ringcap_record_files_total" + labels + " 0.0")
                .contains("ringcap_record_disk_failing" + labels + " 0.0");
        }
    }

    @Test
    void addressesAreLoopbackUnlessAskedOtherwise() throws Exception {
        assertThat(MetricsAddress.parse("9464", false)).hasToString("127.0.0.1:9464");
        assertThat(MetricsAddress.parse("[::1]:9464", false)).hasToString("[0:0:0:0:0:0:0:1]:9464");
        assertThat(MetricsAddress.parse("0.0.0.0:9464", true).host().isAnyLocalAddress()).isTrue();
        assertThat(MetricsAddress.parse(":9464", true).host().isAnyLocalAddress()).isTrue();
        assertThat(MetricsAddress.parse("192.0.2.1:9464", false).host()).isEqualTo(InetAddress.getByName("192.0.2.1"));
        assertThatThrownBy(() -> MetricsAddress.parse("0.0.0.0:9464", false)).hasMessageContaining("--metrics-any-address");
        assertThatThrownBy(() -> MetricsAddress.parse(":9464", false)).hasMessageContaining("not HOST:PORT");
        assertThatThrownBy(() -> MetricsAddress.parse("127.0.0.1:70000", false)).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> MetricsAddress.parse("127.0.0.1:", false)).hasMessageContaining("not HOST:PORT");
        assertThatThrownBy(() -> MetricsAddress.parse("no-such-host.invalid:1", false)).hasMessageContaining("unknown host");
    }

    @Test
    void badMetricsOptionsAreUsageErrors() {
        Path ring = TestRings.closedRingWith(directory, 1);
        String dir = directory.resolve("rec").toString();

        CommandResult wildcard = CommandResult.execute("record", "--ring", ring.toString(), "--dir", dir,
            "--metrics", "0.0.0.0:9464");
        CommandResult port = CommandResult.execute("record", "--ring", ring.toString(), "--dir", dir, "--metrics", "x:y");
        CommandResult alone = CommandResult.execute("record", "--ring", ring.toString(), "--dir", dir,
            "--metrics-any-address");
        CommandResult capture = CommandResult.execute("capture", "--iface", "lo", "--group", "239.1.1.1:5000",
            "--ring", ring.toString(), "--metrics", "1.2.3.4:99999");

        assertThat(wildcard.exitCode()).isEqualTo(2);
        assertThat(wildcard.err()).startsWith("ringcap: --metrics '0.0.0.0:9464' listens on every interface");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).startsWith("ringcap: --metrics 'x:y' is not HOST:PORT");
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).startsWith("ringcap: --metrics-any-address needs --metrics HOST:PORT");
        assertThat(capture.exitCode()).isEqualTo(2);
        assertThat(capture.err()).contains("0 to 65535");
    }

    @Test
    void aPortInUseIsARuntimeFailure() throws Exception {
        Path ring = TestRings.create(directory);
        try (RingFile view = RingFile.openForReading(ring);
             MetricsEndpoint first = MetricsEndpoint.forCapture(MetricsAddress.parse("127.0.0.1:0", false), ring,
                 view.header())) {
            assertThatThrownBy(() -> MetricsEndpoint.forCapture(MetricsAddress.parse("127.0.0.1:" + first.port(), false),
                ring, view.header()))
                .isInstanceOf(CommandFailure.class).hasMessageStartingWith("cannot serve metrics on 127.0.0.1:" + first.port());
        }
    }

    private static String scrape(int port) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }
}
