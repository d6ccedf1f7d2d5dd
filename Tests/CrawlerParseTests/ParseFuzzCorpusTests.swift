import CrawlerCore
import Foundation
import TestSupport
import Testing

@testable import CrawlerParse

/// The committed libFuzzer corpus of `Fuzz/Targets/FuzzParse.swift`, replayed. An input's
/// first byte chooses: even, the rest is a page body for link extraction (every extracted
/// link must be a normalized URL that parses again to itself); odd, the rest is a byte stream
/// from a worker (a corrupt frame must be an error, never a crash).
struct ParseFuzzCorpusTests {
    @Test func parseCorpusHoldsItsProperties() throws {
        let inputs = try FuzzCorpus.inputs("parse")
        #expect(inputs.count >= 10)
        let base = NormalizedURL("http://fuzz.example/dir/page.html")!
        let extractor = LinkExtractor()
        var pages = 0, streams = 0
        for input in inputs {
            let bytes = [UInt8](input)
            guard let selector = bytes.first else { continue }
            let rest = Array(bytes.dropFirst())
            if selector & 1 == 0 {
                pages += 1
                let job = ParseJob(url: base, headers: ResponseHeaders(contentType: selector & 2 == 0 ? "text/html" : nil), body: rest)
                if case .success(let page) = extractor.extract(job) {
                    for link in page.links { #expect(NormalizedURL(link.target.string)?.string == link.target.string, "\(link.target.string)") }
                }
            } else {
                streams += 1
                var decoder = FrameDecoder()
                decoder.append(rest)
                while let payload = try? decoder.nextPayload() {
                    _ = try? WireReader.response(from: payload)
                    _ = try? WireReader.requestInPlace(from: payload)
                }
            }
        }
        #expect(pages > 0 && streams > 0)
    }
}
