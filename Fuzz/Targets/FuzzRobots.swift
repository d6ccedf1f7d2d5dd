// libFuzzer target: robots.txt parsing (RFC 9309) and matching. Nothing may crash or hang,
// whatever the file and the path asked about.
import CrawlerCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRobots(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // The last line is the path asked about; the rest is the file.
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let path = lines.last.map(String.init) ?? "/"
    let rules = RobotsRules(parsing: text, userAgent: "SwiftCrawler")
    _ = rules.allows(path.hasPrefix("/") ? path : "/" + path)
    _ = rules.crawlDelay
    return 0
}
