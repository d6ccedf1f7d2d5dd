// libFuzzer target: URL parsing, resolution and normalization (CrawlerCore).
// Properties: nothing crashes; normalizing a normalized URL changes nothing (idempotence);
// resolving a reference against a normalized base gives a URL that is itself stable.
import CrawlerCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzURL(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // The input is "base\nreference" when it holds a newline, else a URL alone.
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    if let url = NormalizedURL(String(parts[0])) {
        checkStable(url)
        if parts.count == 2, let resolved = url.resolve(String(parts[1])) { checkStable(resolved) }
    }
    return 0
}

private func checkStable(_ url: NormalizedURL) {
    guard let again = NormalizedURL(url.string) else { fatalError("normalized URL does not parse again: \(url.string)") }
    guard again.string == url.string else { fatalError("normalization is not idempotent: \(url.string) -> \(again.string)") }
}
