import Foundation

/// The committed corpus of a libFuzzer target (`Fuzz/Corpus/NAME`), which the tests replay so
/// that every input a fuzzer saved, findings included, stays a regression test.
public enum FuzzCorpus {
    /// Every input of `name`'s corpus, in file-name order.
    public static func inputs(_ name: String) throws -> [Data] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Fuzz/Corpus/\(name)")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
            .map { try Data(contentsOf: $0) }
    }
}
