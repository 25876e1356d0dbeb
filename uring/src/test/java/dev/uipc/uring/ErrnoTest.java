package dev.uipc.uring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ErrnoTest {
    @Test
    void numbersAndNamesAreTheKernels() {
        assertEquals(11, Errno.EAGAIN.number());
        assertEquals(105, Errno.ENOBUFS.number());
        assertEquals(90, Errno.EMSGSIZE.number());
        assertEquals(62, Errno.ETIME.number());
        assertEquals(Errno.ENOBUFS, Errno.of(-105));
        assertEquals("ENOENT", Errno.nameOf(-2));
        assertEquals("errno 4242", Errno.nameOf(4242));
        assertNull(Errno.of(0));
    }

    @Test
    void anExceptionStartsWithTheErrnoNameAndSaysWhatFailed() {
        ErrnoException e = new ErrnoException(-13, "open(/dev/shm/x)", "ask the channel's owner for access");
        assertEquals("EACCES: open(/dev/shm/x) failed: Permission denied. ask the channel's owner for access",
                e.getMessage());
        assertEquals(13, e.errno());
        assertEquals(Errno.EACCES, e.error());
    }
}
