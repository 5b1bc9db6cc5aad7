package io.ringcap.ring.example;

import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;

import java.nio.file.Path;

/** Counts the packets in a ring until its writer closes it: java PacketCounter /dev/shm/eth0.ring */
public final class PacketCounter implements RecordHandler {
    long packets;
    long bytes;
    long lost;

    @Override
    public void onRecord(RingRecord record) {
        // A zero-copy view, valid during this call only: the frame is record.frame(), taken at
        // record.timestampNanos() (ns since the epoch); copy what you keep.
        packets++;
        bytes += record.capturedLength();
    }

    @Override
    public void onLoss(long records, long ringBytes) {
        lost += records; // the writer lapped this reader: exactly this many records are gone
    }

    public static void main(String[] args) {
        PacketCounter counter = new PacketCounter();
        try (RingReader reader = RingReader.open(Path.of(args[0]), RingReader.Start.OLDEST)) {
            while (true) {
                // Read before polling: a writer publishes its last record before it marks the ring closed.
                boolean closed = reader.header().writerState() == RingDescriptor.STATE_CLOSED;
                if (reader.poll(counter, 256) == 0) {
                    if (closed) {
                        break;
                    }
                    Thread.onSpinWait(); // or park: the writer never waits for readers
                }
            }
        }
        System.out.printf("%d packets, %d bytes, %d lost%n", counter.packets, counter.bytes, counter.lost);
    }
}
