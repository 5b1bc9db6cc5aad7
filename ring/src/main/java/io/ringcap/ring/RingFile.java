package io.ringcap.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import static io.ringcap.ring.RingDescriptor.*;

/**
 * A ring file mapped into memory as one {@link MemorySegment}: header, index and data region. Creating
 * one writes the header with the format version last; opening one checks the header against the file.
 */
public final class RingFile implements AutoCloseable {
    private static final int DEFAULT_PAGE_SIZE = 4096;

    private final Path path;
    private final FileChannel channel;
    private final Arena arena;
    private final MemorySegment file;
    private final RingHeader header;
    private final FileLock writerLock;

    private RingFile(Path path, FileChannel channel, Arena arena, MemorySegment file, FileLock writerLock) {
        this.path = path;
        this.channel = channel;
        this.arena = arena;
        this.file = file;
        this.header = new RingHeader(file.asSlice(0, HEADER_LENGTH));
        this.writerLock = writerLock;
    }

    /**
     * Creates a ring of {@code capacity} data bytes at {@code path}. On a hugetlbfs mount the capacity must
     * be at least one huge page. An existing file is refused unless {@code replace}; a replaced ring is a
     * new file (new inode), so readers still mapping the old one are not corrupted.
     */
    public static RingFile create(Path path, long capacity, boolean replace) {
        checkCapacity(capacity);
        Optional<Hugetlbfs.Mount> hugetlbfs = Hugetlbfs.mountHolding(path);
        int pageSize = hugetlbfs.map(Hugetlbfs.Mount::pageSize).orElse(DEFAULT_PAGE_SIZE);
        if (capacity % pageSize != 0) {
            throw new RingException("ring size " + Sizes.format(capacity) + " is not a multiple of the huge page size "
                + Sizes.format(pageSize) + " of " + hugetlbfs.get().mountPoint() + ": use at least "
                + Sizes.format(pageSize));
        }
        long length = RingDescriptor.fileLength(capacity, pageSize);
        checkSpace(path, length, pageSize, hugetlbfs.isPresent(), replace);
        try {
            if (replace) {
                Files.deleteIfExists(path);
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            try {
                // Mapping past the end extends the file with ftruncate, the one way hugetlbfs grows a file.
                Arena arena = Arena.ofShared();
                MemorySegment file = map(channel, FileChannel.MapMode.READ_WRITE, length, arena, path, pageSize);
                RingFile ring = new RingFile(path, channel, arena, file, null);
                ring.header.initialise(capacity, pageSize, dataOffset(capacity, pageSize), System.currentTimeMillis() * 1_000_000L);
                return ring;
            } catch (RuntimeException | IOException e) {
                channel.close();
                Files.deleteIfExists(path);
                throw e;
            }
        } catch (FileAlreadyExistsException e) {
            throw new RingException("cannot create ring " + path + ": the file exists (replace it with --force)", e);
        } catch (AccessDeniedException e) {
            throw new RingException("cannot create ring " + path + ": permission denied on " + e.getFile(), e);
        } catch (NoSuchFileException e) {
            throw new RingException("cannot create ring " + path + ": directory " + path.toAbsolutePath().getParent()
                + " does not exist", e);
        } catch (IOException e) {
            throw new RingException("cannot create ring " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A ring of {@code capacity} data bytes in plain memory, with no file behind it and freed by the garbage
     * collector. For the ring's concurrency tests (jcstress), where every trial needs a fresh ring and
     * creating and mapping a file would cost far more than the trial; writer and readers share the segment
     * ({@link RingWriter#over}, {@link RingReader#over}).
     */
    static RingFile inMemory(long capacity) {
        checkCapacity(capacity);
        MemorySegment memory = Arena.ofAuto().allocate(RingDescriptor.fileLength(capacity, DEFAULT_PAGE_SIZE),
            DEFAULT_PAGE_SIZE);
        RingFile ring = new RingFile(null, null, null, memory, null);
        ring.header.initialise(capacity, DEFAULT_PAGE_SIZE, dataOffset(capacity, DEFAULT_PAGE_SIZE),
            System.currentTimeMillis() * 1_000_000L);
        return ring;
    }

    private static void checkCapacity(long capacity) {
        if (!isValidCapacity(capacity)) {
            throw new RingException(RingDescriptor.invalidCapacity("ring size " + capacity + " ("
                + Sizes.format(capacity) + ")"));
        }
    }

    /** Opens an existing ring to write it; fails if another process already writes it. */
    public static RingFile openForWriting(Path path) {
        return open(path, true);
    }

    /** Opens an existing ring read-only, as an unprivileged reader does. */
    public static RingFile openForReading(Path path) {
        return open(path, false);
    }

    private static RingFile open(Path path, boolean write) {
        if (Files.isDirectory(path)) {
            throw new RingException(path + " is a directory, not a ring file: give the path of a ring, e.g. "
                + path.resolve("capture.ring"));
        }
        FileChannel channel;
        try {
            channel = write
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new RingException("no ring at " + path + ": create one with 'ringcap ring create " + path
                + " --size 1g'", e);
        } catch (AccessDeniedException e) {
            throw new RingException("cannot open ring " + path + (write ? " for writing" : " for reading")
                + ": permission denied (check the file's owner and mode, e.g. 'ls -l " + path + "')", e);
        } catch (IOException e) {
            throw new RingException("cannot open ring " + path + ": " + e.getMessage(), e);
        }
        Arena arena = Arena.ofShared();
        try {
            long size = channel.size();
            if (size < HEADER_LENGTH) {
                throw new RingException(path + " is not a ring: it has " + size + " bytes, fewer than the "
                    + HEADER_LENGTH + "-byte ring header");
            }
            int pageSize = Hugetlbfs.mountHolding(path).map(Hugetlbfs.Mount::pageSize).orElse(DEFAULT_PAGE_SIZE);
            MemorySegment file = map(channel, write ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                size, arena, path, pageSize);
            validate(path, file, size);
            FileLock lock = write ? lockForWriter(path, channel, new RingHeader(file)) : null;
            return new RingFile(path, channel, arena, file, lock);
        } catch (RuntimeException | IOException e) {
            arena.close();
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RingException ringException) {
                throw ringException;
            }
            throw new RingException("cannot open ring " + path + ": " + e.getMessage(), e);
        }
    }

    private static void validate(Path path, MemorySegment file, long size) {
        long magic = file.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new RingException(path + " is not a ring: it does not start with the ring magic \"RINGCAP\"");
        }
        RingHeader header = new RingHeader(file);
        int version = header.version();
        if (version == 0) {
            throw new RingException("ring " + path + " is still being created (no format version yet): retry in a moment");
        }
        if (version != FORMAT_VERSION) {
            throw new RingException("ring " + path + " has format version " + version + " but this ringcap reads version "
                + FORMAT_VERSION + ": use the ringcap that wrote it, or recreate the ring");
        }
        long capacity = header.capacity();
        int pageSize = header.pageSize();
        if (!isValidCapacity(capacity) || pageSize < DEFAULT_PAGE_SIZE || Integer.bitCount(pageSize) != 1
            || header.dataOffset() != dataOffset(capacity, pageSize) || header.indexOffset() != HEADER_LENGTH
            || header.indexChunkShift() != indexChunkShift(capacity)
            || header.maxCapturedLength() != maxCapturedLength(capacity)) {
            throw new RingException("ring " + path + " has a corrupt header (capacity " + capacity + ", page size "
                + pageSize + ", data offset " + header.dataOffset() + "): recreate the ring");
        }
        long expected = RingDescriptor.fileLength(capacity, pageSize);
        if (size != expected) {
            throw new RingException("ring " + path + " is truncated or damaged: its header says " + Sizes.format(capacity)
                + " of data, so " + expected + " bytes of file, but the file has " + size + " bytes: recreate the ring");
        }
    }

    private static FileLock lockForWriter(Path path, FileChannel channel, RingHeader header) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new RingException("ring " + path + " already has a writer (pid " + header.writerPid()
                + "): a ring has exactly one writer; stop it first or use another ring");
        }
        return lock;
    }

    private static MemorySegment map(FileChannel channel, FileChannel.MapMode mode, long length, Arena arena, Path path,
        int pageSize) throws IOException {
        try {
            return channel.map(mode, 0, length, arena);
        } catch (IOException e) {
            if (pageSize != DEFAULT_PAGE_SIZE) {
                throw new RingException("cannot map ring " + path + " (" + Sizes.format(length) + ") on hugetlbfs: "
                    + e.getMessage() + "; not enough free huge pages? " + Hugetlbfs.freePages(pageSize) + " of "
                    + Sizes.format(pageSize) + " are free: reserve more with '"
                    + Hugetlbfs.reserveHint(pageSize, length / pageSize + 1) + "' (with the pages in use added)", e);
            }
            throw e;
        }
    }

    private static void checkSpace(Path path, long length, int pageSize, boolean onHugetlbfs, boolean replace) {
        if (onHugetlbfs) {
            long free = Hugetlbfs.freePages(pageSize);
            if (free >= 0 && replace) {
                // The ring being replaced gives its pages back (unless a reader still maps it: mmap then says so).
                free += (existingLength(path) + pageSize - 1) / pageSize;
            }
            long needed = length / pageSize;
            if (free >= 0 && free < needed) {
                throw new RingException("not enough free huge pages for a ring of " + Sizes.format(length) + ": it needs "
                    + needed + " pages of " + Sizes.format(pageSize) + ", " + free
                    + " are free: reserve more with '" + Hugetlbfs.reserveHint(pageSize, needed + 1)
                    + "' or use a smaller size");
            }
            return;
        }
        try {
            Path directory = path.toAbsolutePath().getParent();
            long usable = Files.getFileStore(directory).getUsableSpace();
            if (usable < length) {
                throw new RingException("not enough space for a ring of " + Sizes.format(length) + " in " + directory
                    + ": " + Sizes.format(usable) + " free; a write to a page that cannot be backed would crash "
                    + "the writer, so choose a smaller size or another place");
            }
        } catch (IOException e) {
            // No file store to ask (the directory is missing): creating the file reports that clearly.
        }
    }

    private static long existingLength(Path path) {
        try {
            return Files.isRegularFile(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    public Path path() {
        return path;
    }

    public RingHeader header() {
        return header;
    }

    /** The whole mapped file. */
    MemorySegment segment() {
        return file;
    }

    /** The data region: {@code capacity} bytes of records. */
    MemorySegment data() {
        return file.asSlice(header.dataOffset(), header.capacity());
    }

    /** The lap-recovery index: one long per chunk. */
    MemorySegment index() {
        return file.asSlice(header.indexOffset(), (long) indexEntries(header.capacity()) * Long.BYTES);
    }

    /** Size of the mapped file in bytes. */
    public long fileLength() {
        return file.byteSize();
    }

    @Override
    public void close() {
        if (channel == null) {
            return; // in memory: the garbage collector frees it
        }
        try {
            if (writerLock != null) {
                writerLock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new RingException("cannot close ring " + path + ": " + e.getMessage(), e);
        } finally {
            arena.close();
        }
    }
}
