import Foundation

/// Locates the built `crawler` binary in the build products directory, next to the test bundle
/// (`crawlerPackageTests.xctest`): what the end-to-end tests run, and the worker executable the
/// `processes` parse engine starts (`crawler worker`).
public enum CrawlerBinary {
    /// The binary, looked for in the folders of the test runner's `argv[0]` and of
    /// `/proc/self/exe` and up to three folders above each; when it is in none of them, where
    /// it should be (next to the test bundle), so that starting it fails with that path.
    public static var url: URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var folders = [runner]
        if let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: own).deletingLastPathComponent())
        }
        for start in folders {
            var directory = start
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("crawler")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory.deleteLastPathComponent()
            }
        }
        return runner.appendingPathComponent("crawler")
    }
}
