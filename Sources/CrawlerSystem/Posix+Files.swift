#if canImport(Glibc)
import Glibc
#endif

// Files: opening, locking, inspecting, renaming and deleting them.
extension Posix {
    /// open(2): a new descriptor for `path`.
    public static func open(_ path: String, flags: Int32, mode: mode_t = 0) throws(SystemCallError) -> Int32 {
        try retryingInterrupts("open") { Glibc.open(path, flags, mode) }
    }

    /// flock(2) with `operation` (LOCK_EX, LOCK_SH, with LOCK_NB: a lock held elsewhere
    /// throws `EWOULDBLOCK`).
    public static func flock(_ descriptor: Int32, _ operation: Int32) throws(SystemCallError) {
        _ = try retryingInterrupts("flock") { lockFile(descriptor, operation) }
    }

    /// unlink(2). A missing file throws `ENOENT`.
    public static func unlink(_ path: String) throws(SystemCallError) {
        _ = try retryingInterrupts("unlink") { Glibc.unlink(path) }
    }

    /// rename(2): moves `source` over `destination` in one step.
    public static func rename(_ source: String, to destination: String) throws(SystemCallError) {
        _ = try retryingInterrupts("rename") { Glibc.rename(source, destination) }
    }

    /// lstat(2): what is at `path`, not following a final symbolic link.
    public static func lstat(_ path: String) throws(SystemCallError) -> Glibc.stat {
        var info = Glibc.stat()
        _ = try retryingInterrupts("lstat") { Glibc.lstat(path, &info) }
        return info
    }

    /// stat(2): what `path` names, following symbolic links.
    public static func stat(_ path: String) throws(SystemCallError) -> Glibc.stat {
        var info = Glibc.stat()
        _ = try retryingInterrupts("stat") { statusOfFile(path, &info) }
        return info
    }

    /// mkstemp(3): creates and opens a new file from `template` (ending in XXXXXX); returns the
    /// descriptor and the file's path.
    public static func mkstemp(template: String) throws(SystemCallError) -> (descriptor: Int32, path: String) {
        var bytes = Array(template.utf8CString)
        let descriptor = try retryingInterrupts("mkstemp") { bytes.withUnsafeMutableBufferPointer { Glibc.mkstemp($0.baseAddress!) } }
        return (descriptor, String(decoding: bytes.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))  // without the NUL
    }

    /// fchmod(2).
    public static func fchmod(_ descriptor: Int32, mode: mode_t) throws(SystemCallError) {
        _ = try retryingInterrupts("fchmod") { Glibc.fchmod(descriptor, mode) }
    }
}

// Glibc's `flock` and `stat` are also the names of structs, and inside `Posix` of its own
// methods: these file-level functions reach the C functions unambiguously.
private func lockFile(_ descriptor: Int32, _ operation: Int32) -> Int32 { flock(descriptor, operation) }
private func statusOfFile(_ path: String, _ info: inout stat) -> Int32 { stat(path, &info) }
