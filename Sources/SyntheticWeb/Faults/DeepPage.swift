/// A page nested 100,000 `<div>`s deep, with a link before the nesting, one at the bottom and one
/// after it. A parser must not overflow its stack on it, and a correct extractor finds all three:
/// they are all really in the page. (libxml2's tree builder gives up at depth 256 without
/// `XML_PARSE_HUGE` and would find only the first; the project's streaming extractor has no
/// tree to build and finds all three.)
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
    static let linkNames = ["before", "inside", "after"]
    /// Names of every link written in the page (all are served).
    static let allLinkNames = ["before", "inside", "after"]
}
