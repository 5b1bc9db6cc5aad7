package io.ringcap.cli;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.ringcap.record.Recorder;
import io.ringcap.record.RecorderStatus;
import io.ringcap.ring.RingHeader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;

/**
 * A Prometheus endpoint ({@code /metrics}) for {@code capture} and {@code record}. Every value is read when
 * Prometheus scrapes, by callback, from where the process keeps it anyway: the ring header's counters, the
 * recorder's published status. Nothing is added to a hot path. Names follow Prometheus conventions
 * ({@code ringcap_<process>_<what>_<unit>}, {@code _total} for counters, bytes and seconds) and are an
 * interface: listed in docs/operations.md, added to, never renamed.
 */
final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer server;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    /** Serves the counters a capture writes into the ring header of {@code ring}. */
    static MetricsEndpoint forCapture(MetricsAddress address, Path ring, RingHeader header) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Labels labels = Labels.of("ring", ring.toString());
        counter(registry, labels, "ringcap_capture_packets_total", "Packets written into the ring.",
            header::recordsWritten);
        counter(registry, labels, "ringcap_capture_bytes_total", "Frame bytes written into the ring.",
            header::bytesWritten);
        counter(registry, labels, "ringcap_capture_source_packets_total",
            "Packets the source (kernel socket, NIC) reported received, where it counts them.", header::sourceReceived);
        counter(registry, labels, "ringcap_capture_source_drops_total",
            "Packets the source reported dropped before they reached the ring.", header::sourceDrops);
        counter(registry, labels, "ringcap_capture_truncated_packets_total",
            "Packets cut to the ring's largest record.", header::truncatedRecords);
        gauge(registry, labels, "ringcap_capture_heartbeat_timestamp_seconds",
            "Last heartbeat of the capture thread, seconds since the Unix epoch.", () -> header.heartbeatNanos() / 1e9);
        gauge(registry, labels, "ringcap_capture_ring_capacity_bytes", "Bytes of records the ring holds.",
            () -> header.capacity());
        return start(address, registry);
    }

    /** Serves a recorder's counters (refreshed by the recorder a few times a second). */
    static MetricsEndpoint forRecorder(MetricsAddress address, Path ring, Recorder recorder) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Labels labels = Labels.of("ring", ring.toString());
        counter(registry, labels, "ringcap_record_packets_written_total", "Packets written into recording files.",
            read(recorder, RecorderStatus::packets));
        counter(registry, labels, "ringcap_record_bytes_written_total", "Frame bytes written into recording files.",
            read(recorder, RecorderStatus::bytes));
        counter(registry, labels, "ringcap_record_files_total", "Recording files completed.",
            read(recorder, RecorderStatus::files));
        counter(registry, labels, "ringcap_record_lap_drops_total",
            "Packets the ring's writer overwrote before the recorder read them.",
            read(recorder, RecorderStatus::lostToLaps));
        counter(registry, labels, "ringcap_record_disk_drops_total",
            "Packets read but not written because the disk refused them (e.g. full).",
            read(recorder, RecorderStatus::lostToDisk));
        counter(registry, labels, "ringcap_record_disk_errors_total", "Times the disk started refusing writes.",
            read(recorder, RecorderStatus::diskErrors));
        gauge(registry, labels, "ringcap_record_disk_failing", "1 while the disk refuses writes, else 0.",
            () -> recorder.status().diskFailing() ? 1 : 0);
        return start(address, registry);
    }

    private static DoubleSupplier read(Recorder recorder, ToLongFunction<RecorderStatus> field) {
        return () -> field.applyAsLong(recorder.status());
    }

    private static void counter(PrometheusRegistry registry, Labels labels, String name, String help,
        DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).constLabels(labels)
            .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    private static void gauge(PrometheusRegistry registry, Labels labels, String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).constLabels(labels)
            .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    private static MetricsEndpoint start(MetricsAddress address, PrometheusRegistry registry) {
        try {
            return new MetricsEndpoint(HTTPServer.builder().inetAddress(address.host()).port(address.port())
                .registry(registry).buildAndStart());
        } catch (IOException e) {
            throw new CommandFailure("cannot serve metrics on " + address + ": " + e.getMessage()
                + " (is another process using the port? choose another with --metrics)");
        }
    }

    /** The port listened on: the one asked for, or the one the system chose for port 0. */
    int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
