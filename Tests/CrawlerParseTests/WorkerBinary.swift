import Foundation

/// The `crawler` executable in the build products directory, next to the test bundle.
enum WorkerBinary {
    static let path: String? = {
        var folders = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: own).deletingLastPathComponent())
        }
        for folder in folders {
            // The test bundle is `crawlerPackageTests.xctest` in the products folder.
            for candidate in [folder, folder.deletingLastPathComponent()] {
                let binary = candidate.appendingPathComponent("crawler").path
                if FileManager.default.isExecutableFile(atPath: binary) { return binary }
            }
        }
        return nil
    }()
}
