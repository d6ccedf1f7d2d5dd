import CrawlerCore

/// The fault host: its URLs, the fixed bodies of its pages, and what a crawl should see from each.
struct FaultHost: Sendable {
    let layout: HostLayout
    let seed: UInt64
    /// `http://127.0.0.(hosts+1):port/`.
    let home: NormalizedURL
    let index: Int

    init(layout: HostLayout, seed: UInt64) {
        self.layout = layout
        self.seed = seed
        index = layout.faultHostIndex!
        home = NormalizedURL(layout.origin(index) + "/")!
    }

    /// The fault page a URL of this host names.
    func resource(for url: NormalizedURL) -> FaultResource? { FaultResource(pathAndQuery: url.pathAndQuery) }

    /// The URL of a fault page.
    func url(_ fault: FaultResource) -> NormalizedURL {
        guard let url = NormalizedURL(layout.origin(index) + fault.path) else { preconditionFailure("bad fault path \(fault.path)") }
        return url
    }

    /// Where a redirect goes, as the `Location` header spells it (absolute, root-relative, relative).
    func redirect(_ fault: FaultResource) -> (status: Int, location: String, target: FaultResource)? {
        switch fault {
        case .chain(1): (301, url(.chain(2)).string, .chain(2))
        case .chain(2): (302, FaultResource.chain(3).path, .chain(3))
        case .chain(3): (301, "final.html", .chainFinal)
        case .loop(let first): (302, FaultResource.loop(first: !first).path, .loop(first: !first))
        default: nil
        }
    }

    /// The links a correct extractor finds on a fault page served as 2xx HTML, in document order.
    func links(_ fault: FaultResource) -> [ModelLink] {
        func a(_ target: FaultResource) -> ModelLink { ModelLink(target: url(target), kind: .a, nofollow: false) }
        switch fault {
        case .home: return FaultResource.homeLinks.map(a)
        case .chainFinal, .malformedTarget, .deepTarget, .charsetTarget, .flaky, .rateLimited, .slow: return [a(.home)]
        case .malformed: return MalformedPage.linkPaths.map { ModelLink(target: url(fromPath: $0), kind: .a, nofollow: false) }
        case .deep: return DeepPage.linkNames.map { a(.deepTarget($0)) }
        case .legacyCharset(let charset): return [a(.charsetTarget(charset)), a(.home)]
        case .calendar(let year, let month):
            return [a(.home)] + [Self.month(year, month, by: -1), Self.month(year, month, by: 1)].compactMap { $0 }.map {
                a(.calendar(year: $0.year, month: $0.month))
            }
        case .chain, .loop, .huge, .binary, .png, .pdf, .reset: return []
        }
    }

    private func url(fromPath path: String) -> NormalizedURL { NormalizedURL(layout.origin(index) + path)! }

    /// The month before or after, within the years the calendar serves (1000...9999).
    static func month(_ year: Int, _ month: Int, by step: Int) -> (year: Int, month: Int)? {
        let total = year * 12 + (month - 1) + step
        let result = (year: total / 12, month: total % 12 + 1)
        return (1000...9999).contains(result.year) ? result : nil
    }

    /// `Content-Type` of a fault page's 200 response.
    func contentType(_ fault: FaultResource) -> String {
        switch fault {
        case .png: "image/png"
        case .pdf: "application/pdf"
        case .binary, .legacyCharset: "text/html"
        default: SiteModel.htmlUTF8
        }
    }

    /// What a crawl with these fetch options sees when it fetches a fault page.
    func outcome(_ fault: FaultResource, fetch: FetchOptions, slowResponseSeconds: Double) -> CrawlOutcome {
        if let redirect = redirect(fault) { return .redirect(status: redirect.status, location: url(redirect.target)) }
        let document = CrawlOutcome.document(status: 200, contentType: contentType(fault), links: links(fault), metaNofollow: false)
        switch fault {
        case .flaky: return fetch.retries >= 1 ? document : .document(status: 500, contentType: SiteModel.htmlUTF8, links: [], metaNofollow: false)
        case .rateLimited:
            return fetch.retries >= 1 ? document : .document(status: 429, contentType: SiteModel.htmlUTF8, links: [], metaNofollow: false)
        case .slow: return slowResponseSeconds >= fetch.transferTimeoutSeconds ? .failure(kind: "timeout") : document
        case .huge:
            return FaultResource.hugeChunks * FaultResource.hugeChunkBytes > fetch.maxBodyBytes ? .failure(kind: "too-large") : document
        case .reset: return .failure(kind: "reset")
        default: return document
        }
    }

    // MARK: Bodies

    /// The body of a fault page that has a fixed body (nil for redirects; `/huge` gives one chunk).
    func fixedBody(_ fault: FaultResource, model: SiteModel) -> [UInt8]? {
        switch fault {
        case .chain, .loop: return nil
        case .home:
            var rows: [(String, String)] = []
            for target in FaultResource.homeLinks { rows.append((target.path, Self.describe(target))) }
            return Self.simplePage(title: "Fault host", text: "Every way a web misbehaves, one link each.", links: rows)
        case .chainFinal: return Self.simplePage(title: "End of the redirect chain", text: "Three hops led here.", links: [("/", "Home")])
        case .flaky, .rateLimited, .slow:
            return Self.simplePage(title: Self.describe(fault), text: "This time it worked.", links: [("/", "Home")])
        case .malformedTarget, .deepTarget, .charsetTarget:
            return Self.simplePage(title: "Target \(fault.path)", text: "A link on a difficult page led here.", links: [("/", "Home")])
        case .huge: return Self.hugeChunk
        case .binary: return binaryBody()
        case .png: return StaticAssets.png
        case .pdf: return StaticAssets.pdf
        case .reset: return Self.simplePage(title: "Reset", text: String(repeating: "This body is cut in half. ", count: 300), links: [])
        case .malformed: return Array(MalformedPage.html.utf8)
        case .deep: return DeepPage.html
        case .legacyCharset(let charset): return LegacyCharsetPages.body(charset)
        case .calendar(let year, let month): return calendarBody(year: year, month: month)
        }
    }

    /// The body of the first response of `/flaky` (500) or `/rate-limited` (429).
    static func errorBody(status: Int) -> [UInt8] {
        simplePage(title: "Error \(status)", text: status == 429 ? "Too many requests; retry after a second." : "Internal error; try again.", links: [])
    }

    /// The body of a 404.
    static let notFoundBody = simplePage(title: "Not found", text: "There is no page here.", links: [])

    private static func describe(_ fault: FaultResource) -> String {
        switch fault {
        case .chain: "A chain of three redirects"
        case .loop: "A redirect loop"
        case .flaky: "Fails once, then works"
        case .rateLimited: "Rate limited once (429, Retry-After: 1)"
        case .slow: "A response that stalls"
        case .huge: "A 12 MiB page"
        case .binary: "Binary bytes served as HTML"
        case .png: "A PNG image"
        case .pdf: "A PDF document"
        case .reset: "A connection reset mid-body"
        case .malformed: "Malformed HTML"
        case .deep: "HTML nested 100,000 levels deep"
        case .legacyCharset(let charset): "A page in \(charset.rawValue)"
        case .calendar: "An endless calendar"
        default: fault.path
        }
    }

    /// A small UTF-8 HTML page with root-relative links.
    static func simplePage(title: String, text: String, links: [(String, String)]) -> [UInt8] {
        var html = HTMLWriter(capacity: 1024 + text.utf8.count)
        html.raw("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        html.text(title)
        html.raw("</title></head>\n<body>\n<h1>")
        html.text(title)
        html.raw("</h1>\n<p>")
        html.text(text)
        html.raw("</p>\n")
        if !links.isEmpty {
            html.raw("<ul>\n")
            for (href, label) in links {
                html.raw("<li><a href=\"\(HTMLWriter.escapeAttribute(href))\">")
                html.text(label)
                html.raw("</a></li>\n")
            }
            html.raw("</ul>\n")
        }
        html.raw("</body></html>\n")
        return html.bytes
    }

    /// One 64 KiB chunk of `/huge`: paragraphs without links, padded with spaces to the byte.
    static let hugeChunk: [UInt8] = {
        var bytes: [UInt8] = []
        let paragraph = Array("<p>A huge page repeats this paragraph until it is larger than any sensible crawler accepts.</p>\n".utf8)
        while bytes.count + paragraph.count <= FaultResource.hugeChunkBytes { bytes += paragraph }
        bytes += Array(repeating: UInt8(ascii: " "), count: FaultResource.hugeChunkBytes - bytes.count)
        return bytes
    }()

    /// 16 KiB of random bytes without `<` or `&`, so even a parser that reads them finds no markup.
    private func binaryBody() -> [UInt8] {
        var rng = SplitMix64(seed: seed, stream: .binary)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 * 1024)
        while bytes.count < 16 * 1024 {
            let byte = UInt8(truncatingIfNeeded: rng.next())
            if byte != UInt8(ascii: "<"), byte != UInt8(ascii: "&") { bytes.append(byte) }
        }
        return bytes
    }

    private func calendarBody(year: Int, month: Int) -> [UInt8] {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        var rows: [(String, String)] = [("/", "Home")]
        if let previous = Self.month(year, month, by: -1) {
            // Relative to /calendar/YYYY/: ../YYYY/MM.
            rows.append(("../\(previous.year)/\(previous.month < 10 ? "0" : "")\(previous.month)", "Previous month"))
        }
        if let next = Self.month(year, month, by: 1) {
            rows.append((FaultResource.calendar(year: next.year, month: next.month).path, "Next month"))
        }
        var text = "Nothing happens in \(names[month - 1]) \(year). Days:"
        for day in 1...28 { text += " \(day)" }
        return Self.simplePage(title: "\(names[month - 1]) \(year)", text: text, links: rows)
    }
}
