/// The pages of the fault host, each a way a real web misbehaves. All are linked from its home page.
enum FaultResource: Sendable, Hashable {
    /// `/`: links to every fault.
    case home
    /// `/redirect/chain-N` (N = 1...3): 301, 302, 301, then `/redirect/final.html`.
    case chain(Int)
    /// `/redirect/final.html`: the end of the chain (200).
    case chainFinal
    /// `/redirect/loop-a` ↔ `/redirect/loop-b`.
    case loop(first: Bool)
    /// `/flaky`: 500 on odd-numbered requests, 200 on even ones.
    case flaky
    /// `/rate-limited`: 429 with `Retry-After: 1` on odd-numbered requests, 200 on even ones.
    case rateLimited
    /// `/slow`: stalls `slowResponseSeconds` before answering 200.
    case slow
    /// `/huge`: 12 MiB of HTML with its `Content-Length`.
    case huge
    /// `/binary`: random bytes served as `text/html`.
    case binary
    /// `/image.png`: a real PNG.
    case png
    /// `/document.pdf`: a real PDF.
    case pdf
    /// `/reset`: headers and half the body, then a TCP reset.
    case reset
    /// `/malformed.html`: broken markup whose links a recovering parser still finds.
    case malformed
    /// `/malformed/target-N.html`: targets of the malformed page's links.
    case malformedTarget(Int)
    /// `/deep.html`: 100,000 nested elements.
    case deep
    /// `/deep/before.html`, `/deep/inside.html`, `/deep/after.html`: targets of the deep page's links.
    case deepTarget(String)
    /// `/latin1.html` (ISO-8859-1) and `/shift_jis.html`, declared only by `<meta charset>`.
    case legacyCharset(LegacyCharset)
    /// `/charset/café.html` and `/charset/日本語.html` (percent-encoded UTF-8 paths).
    case charsetTarget(LegacyCharset)
    /// `/calendar/YYYY/MM`: an endless calendar.
    case calendar(year: Int, month: Int)

    /// The two legacy encodings the fault host serves.
    enum LegacyCharset: String, Sendable, Hashable, CaseIterable {
        case latin1 = "ISO-8859-1"
        case shiftJIS = "Shift_JIS"
    }

    /// How many 64 KiB chunks `/huge` is made of (12 MiB, above the crawler's 10 MiB default cap).
    static let hugeChunks = 192
    /// Bytes of one chunk of `/huge`.
    static let hugeChunkBytes = 64 * 1024
    /// Depth of `/deep.html`.
    static let deepNesting = 100_000
    /// The month the calendar starts at (linked from the home page).
    static let calendarStart = (year: 2026, month: 1)

    /// The path (and query) of each fixed fault page, in the order the home page links them.
    static let homeLinks: [FaultResource] = [
        .chain(1), .loop(first: true), .flaky, .rateLimited, .slow, .huge, .binary, .png, .pdf, .reset,
        .malformed, .deep, .legacyCharset(.latin1), .legacyCharset(.shiftJIS),
        .calendar(year: calendarStart.year, month: calendarStart.month),
    ]

    /// The normalized path of a fault page.
    var path: String {
        switch self {
        case .home: "/"
        case .chain(let hop): "/redirect/chain-\(hop)"
        case .chainFinal: "/redirect/final.html"
        case .loop(let first): first ? "/redirect/loop-a" : "/redirect/loop-b"
        case .flaky: "/flaky"
        case .rateLimited: "/rate-limited"
        case .slow: "/slow"
        case .huge: "/huge"
        case .binary: "/binary"
        case .png: "/image.png"
        case .pdf: "/document.pdf"
        case .reset: "/reset"
        case .malformed: "/malformed.html"
        case .malformedTarget(let number): "/malformed/target-\(number).html"
        case .deep: "/deep.html"
        case .deepTarget(let name): "/deep/\(name).html"
        case .legacyCharset(.latin1): "/latin1.html"
        case .legacyCharset(.shiftJIS): "/shift_jis.html"
        case .charsetTarget(.latin1): "/charset/caf%C3%A9.html"
        case .charsetTarget(.shiftJIS): "/charset/%E6%97%A5%E6%9C%AC%E8%AA%9E.html"
        case .calendar(let year, let month): "/calendar/\(year)/\(month < 10 ? "0" : "")\(month)"
        }
    }

    /// Every fixed fault page (the calendar aside), for routing.
    static let fixed: [FaultResource] = {
        var all: [FaultResource] = [.home, .chain(1), .chain(2), .chain(3), .chainFinal, .loop(first: true), .loop(first: false)]
        all += [.flaky, .rateLimited, .slow, .huge, .binary, .png, .pdf, .reset, .malformed, .deep]
        all += (1...MalformedPage.targetCount).map { .malformedTarget($0) }
        all += DeepPage.allLinkNames.map { .deepTarget($0) }
        all += LegacyCharset.allCases.map { .legacyCharset($0) } + LegacyCharset.allCases.map { .charsetTarget($0) }
        return all
    }()

    /// The page at `pathAndQuery` on the fault host, if any.
    init?(pathAndQuery: String) {
        if let fixed = Self.routes[pathAndQuery] {
            self = fixed
            return
        }
        let parts = pathAndQuery.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == "calendar", parts[2].count == 4, parts[3].count == 2,
            parts[2].utf8.allSatisfy({ (48...57).contains($0) }), parts[3].utf8.allSatisfy({ (48...57).contains($0) }),
            let year = Int(parts[2]), let month = Int(parts[3]), (1000...9999).contains(year), (1...12).contains(month)
        else { return nil }
        self = .calendar(year: year, month: month)
    }

    private static let routes: [String: FaultResource] = Dictionary(uniqueKeysWithValues: fixed.map { ($0.path, $0) })
}
