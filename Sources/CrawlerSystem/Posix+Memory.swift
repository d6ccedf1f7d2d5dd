import CCrawlerLinux

#if canImport(Glibc)
import Glibc
#endif

// Shared memory: memfd files mapped by several processes.
extension Posix {
    /// memfd_create(2) with MFD_CLOEXEC: an anonymous file in memory named `name` (for
    /// /proc/PID/fd listings).
    public static func memfdCreate(name: String) throws(SystemCallError) -> Int32 {
        try retryingInterrupts("memfd_create") { ccl_memfd_create(name) }
    }

    /// ftruncate(2): sets the file's size.
    public static func ftruncate(_ descriptor: Int32, size: Int) throws(SystemCallError) {
        _ = try retryingInterrupts("ftruncate") { Glibc.ftruncate(descriptor, off_t(size)) }
    }

    /// fstat(2).
    public static func fstat(_ descriptor: Int32) throws(SystemCallError) -> Glibc.stat {
        var status = Glibc.stat()
        _ = try retryingInterrupts("fstat") { Glibc.fstat(descriptor, &status) }
        return status
    }

    /// mmap(2) of the whole shared file (`size` bytes), populated up front so its first use
    /// takes no page faults; read-only unless `writable`.
    public static func mapShared(_ descriptor: Int32, size: Int, writable: Bool) throws(SystemCallError) -> UnsafeMutableRawPointer {
        guard let address = ccl_map_shared(descriptor, size, writable ? 1 : 0) else {
            throw SystemCallError(call: "mmap", errno: Glibc.errno)
        }
        return address
    }
}
