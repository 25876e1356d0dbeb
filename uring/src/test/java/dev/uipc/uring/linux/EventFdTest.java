package dev.uipc.uring.linux;

import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.Errno;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventFdTest {
    @Test
    void writesAddUpAndAReadResets() {
        try (OwnedFd fd = EventFd.create(0, EventFd.CLOEXEC | EventFd.NONBLOCK)) {
            EventFd.write(fd.value(), 2);
            EventFd.write(fd.value(), 3);
            assertEquals(5, EventFd.read(fd.value()));
            ErrnoException empty = assertThrows(ErrnoException.class, () -> EventFd.read(fd.value()));
            assertEquals(Errno.EAGAIN, empty.error(), "a non-blocking read of zero is EAGAIN");
        }
    }

    @Test
    void aSemaphoreEventFdCountsDownByOne() {
        try (OwnedFd fd = EventFd.create(2, EventFd.CLOEXEC | EventFd.NONBLOCK | EventFd.SEMAPHORE)) {
            assertEquals(1, EventFd.read(fd.value()));
            assertEquals(1, EventFd.read(fd.value()));
            assertThrows(ErrnoException.class, () -> EventFd.read(fd.value()));
        }
    }
}
