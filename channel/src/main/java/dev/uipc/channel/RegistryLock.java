package dev.uipc.channel;

import dev.uipc.uring.Errno;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock under which channels are created, destroyed and reaped: an fcntl write
 * lock on the registry's {@code .lock} file, which the kernel releases if its holder dies, plus
 * an in-process lock because fcntl locks belong to processes, not threads. Reentrant.
 */
final class RegistryLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Path, FileLock> HELD = new ConcurrentHashMap<>();
    static final long TIMEOUT_MILLIS = 10_000;

    private final Path root;
    private final ReentrantLock local;

    private RegistryLock(Path root, ReentrantLock local) {
        this.root = root;
        this.local = local;
    }

    static RegistryLock acquire(Path root) {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(root, r -> new ReentrantLock());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        try {
            if (!local.tryLock(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw busy(root);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(Errno.EINTR, "interrupted waiting for the registry lock in " + root);
        }
        if (local.getHoldCount() > 1) {
            return new RegistryLock(root, local);        // this thread holds the file lock already
        }
        try {
            HELD.put(root, lockFile(root, deadline));
            return new RegistryLock(root, local);
        } catch (RuntimeException | Error e) {
            local.unlock();
            throw e;
        }
    }

    private static FileLock lockFile(Path root, long deadline) {
        Path path = root.resolve(ChannelFiles.LOCK);
        FileChannel file = null;
        try {
            boolean created = false;
            try {
                file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                created = true;
            } catch (java.nio.file.FileAlreadyExistsException exists) {
                file = FileChannel.open(path, StandardOpenOption.WRITE);
            }
            if (created) {
                Files.setAttribute(path, "unix:mode", 0666);   // every user locks it; chmod, so umask cannot narrow it
            }
            for (;;) {
                FileLock lock = file.tryLock();
                if (lock != null) {
                    return lock;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw busy(root);
                }
                Thread.sleep(1);
            }
        } catch (AccessDeniedException e) {
            closeQuietly(file);
            throw new ChannelException(Errno.EACCES, "cannot open the registry lock " + path + "; it should be mode "
                    + "0666 in a mode-1777 directory: check the permissions of " + root);
        } catch (OverlappingFileLockException e) {
            closeQuietly(file);
            throw new IllegalStateException("registry lock of " + root + " held twice by this process", e);
        } catch (IOException e) {
            closeQuietly(file);
            throw new ChannelException(Errno.EIO, "cannot lock the registry " + path + ": " + e, e);
        } catch (InterruptedException e) {
            closeQuietly(file);
            Thread.currentThread().interrupt();
            throw new ChannelException(Errno.EINTR, "interrupted waiting for the registry lock in " + root);
        } catch (RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    private static ChannelException busy(Path root) {
        return new ChannelException(Errno.EBUSY, "another process has held the registry lock " + root.resolve(
                ChannelFiles.LOCK) + " for over " + TIMEOUT_MILLIS / 1000 + " s; if it is stuck, stop it (lsof or "
                + "fuser show who holds the file)");
    }

    private static void closeQuietly(FileChannel file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // the lock, if any, goes with the descriptor
            }
        }
    }

    @Override
    public void close() {
        try {
            if (local.getHoldCount() == 1) {
                FileLock lock = HELD.remove(root);
                if (lock != null) {
                    try {
                        lock.channel().close();             // releases the lock
                    } catch (IOException ignored) {
                        // closing the descriptor released it
                    }
                }
            }
        } finally {
            local.unlock();
        }
    }
}
