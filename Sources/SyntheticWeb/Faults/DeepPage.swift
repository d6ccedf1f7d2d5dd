/// A page nested 100,000 `<div>`s deep, with a link before the nesting, one at the bottom and one
/// after it. A parser must not overflow its stack on it. libxml2 2.9.14 with the project's
/// options (recover, no `XML_PARSE_HUGE`) halts at depth 256, so it finds only the link before
/// the nesting; with `XML_PARSE_HUGE` it finds all three. The answer key follows the project's
/// options (`linkNames`).
enum DeepPage {
    /// The page, built once (about 1.1 MB).
    static let html: [UInt8] = {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(FaultResource.deepNesting * 11 + 512)
        bytes += Array("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Deep nesting</title></head>\n<body>\n".utf8)
        bytes += Array("<p><a href=\"/deep/before.html\">before the nesting</a></p>\n".utf8)
        let open = Array("<div>".utf8)
        let close = Array("</div>".utf8)
        for _ in 0..<FaultResource.deepNesting { bytes += open }
        bytes += Array("<a href=\"/deep/inside.html\">at the bottom</a>".utf8)
        for _ in 0..<FaultResource.deepNesting { bytes += close }
        bytes += Array("\n<p><a href=\"/deep/after.html\">after the nesting</a></p>\n</body></html>\n".utf8)
        return bytes
    }()

    /// Names (`/deep/NAME.html`) of the links a correct extractor finds, in document order.
    static let linkNames = ["before"]
    /// Names of every link written in the page (all are served).
    static let allLinkNames = ["before", "inside", "after"]
}
