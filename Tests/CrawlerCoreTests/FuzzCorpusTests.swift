import CrawlerCore
import Foundation
import TestSupport
import Testing

/// The committed libFuzzer corpus of `Fuzz/Targets/FuzzURL.swift`, replayed: every input
/// parses (or is refused) without a crash, and what parses is stable under normalization, also
/// after resolving the input's second line against it. A fuzzer finding is added to the corpus
/// and so becomes a regression test here.
struct FuzzCorpusTests {
    @Test func urlCorpusStaysStable() throws {
        let inputs = try FuzzCorpus.inputs("url")
        #expect(inputs.count >= 10)
        for input in inputs {
            let parts = String(decoding: input, as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            guard let url = NormalizedURL(String(parts[0])) else { continue }
            var stable = [url]
            if parts.count == 2, let resolved = url.resolve(String(parts[1])) { stable.append(resolved) }
            for url in stable { #expect(NormalizedURL(url.string)?.string == url.string, "\(url.string)") }
        }
    }
}
