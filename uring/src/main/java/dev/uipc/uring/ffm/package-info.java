/**
 * The boundary of the Foreign Function &amp; Memory API: {@link dev.uipc.uring.ffm.Native} is the
 * one class in uipc that creates downcall handles or makes any other restricted call, and
 * {@link dev.uipc.uring.ffm.NativeAccess} asks, without making one, whether it may.
 *
 * <p>Both are public only so that the module's two other packages can share them; the module
 * does not export this package, so nothing outside {@code dev.uipc.uring} can reach them on
 * the module path. Every wrapper returns the kernel's convention ({@code -errno} on failure)
 * and leaves turning it into an {@link dev.uipc.uring.ErrnoException} to its caller, which
 * knows what it was doing.
 */
package dev.uipc.uring.ffm;
