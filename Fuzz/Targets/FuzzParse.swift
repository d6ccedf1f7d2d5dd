// libFuzzer target: link extraction from arbitrary bytes (libxml2 through LinkExtractor),
// and the worker-to-parent frame decoder. Compiled into CrawlerParse's module, so the
// internal wire types are reachable. Properties: nothing crashes; every extracted link is a
// normalized URL that parses again to itself; a corrupt frame is an error, never a crash.
import CrawlerCore

private let base = NormalizedURL("http://fuzz.example/dir/page.html")!
private let extractor = LinkExtractor()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    let rest = Array(bytes.dropFirst())
    if selector & 1 == 0 {
        let job = ParseJob(url: base, headers: ResponseHeaders(contentType: selector & 2 == 0 ? "text/html" : nil), body: rest)
        if case .success(let page) = extractor.extract(job) {
            for link in page.links where NormalizedURL(link.target.string)?.string != link.target.string {
                fatalError("extracted link is not stable: \(link.target.string)")
            }
        }
    } else {
        var decoder = FrameDecoder()
        decoder.append(rest)
        while let payload = try? decoder.nextPayload() {
            _ = try? WireReader.response(from: payload)
            _ = try? WireReader.requestInPlace(from: payload)
        }
    }
    return 0
}
