import Foundation

/// Creates a fresh, empty directory under the system's temporary folder (`$TMPDIR`) for one
/// test, named `PREFIX-UUID`, and leaves it there: a test whose child processes may still
/// write into it after the test returns takes this, not a `TemporaryDirectory`.
public func temporaryDirectory(_ prefix: String = "crawler-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A fresh temporary directory (from `temporaryDirectory(_:)`), removed when the value is
/// dropped; kept when the environment sets `CRAWLER_TEST_KEEP=1`, to look at what a test wrote.
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory; a test cannot go on without it, so failing to is a crash.
    public init(_ prefix: String = "crawler-test") {
        do {
            path = try temporaryDirectory(prefix).path
        } catch {
            fatalError("could not create a temporary directory under \(FileManager.default.temporaryDirectory.path): \(error)")
        }
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    deinit {
        if ProcessInfo.processInfo.environment["CRAWLER_TEST_KEEP"] == "1" { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
