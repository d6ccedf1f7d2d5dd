import CLibXML2
import CrawlerCore

/// Extracts a `ParsedPage` from an HTML body with libxml2's streaming (SAX) HTML parser.
///
/// No tree is built: links are collected as start tags stream by, and resolved against the
/// document's base once the whole document has been read (the first `<base href>` applies to
/// links before it too). Measured against walking libxml2's tree: see `ParseBenchmark`.
/// A value is cheap to create; use one per thread (libxml2 contexts are per parse).
public struct LinkExtractor: Sendable {
    /// Options: anchor-text bound.
    public var options: ParseOptions

    /// An extractor with these options; initializes libxml2 once per process.
    public init(options: ParseOptions = ParseOptions()) {
        self.options = options
        LibXML2.ensureInitialized()
    }

    /// libxml2's options: recover from broken markup, stay quiet, never touch the network.
    /// `HTML_PARSE_IGNORE_ENC` because the encoding is decided by `HTMLSniffer` and forced.
    static let parserOptions: Int32 = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

    /// Parses one page.
    public func extract(_ job: ParseJob) -> Result<ParsedPage, ParseError> {
        job.body.withUnsafeBytes { extract(url: job.url, headers: job.headers, body: $0) }
    }

    /// Parses one page whose body lies in `body` (a worker parses it where it lies in the
    /// request frame, without copying it out).
    func extract(url: NormalizedURL, headers: ResponseHeaders, body: UnsafeRawBufferPointer) -> Result<ParsedPage, ParseError> {
        let mediaType = headers.mediaType
        if !ResponseHeaders.isHTML(mediaType: mediaType) {
            return .failure(.notHTML(url: url.string, mediaType: mediaType ?? "unknown"))
        }
        // A declared HTML type is trusted, as browsers trust it (one NUL byte does not make a
        // page binary); only a body whose type says nothing is sniffed.
        if !ResponseHeaders.declaresHTML(mediaType: mediaType), let binaryType = HTMLSniffer.binaryMediaType(of: body) {
            return .failure(.notHTML(url: url.string, mediaType: "\(mediaType ?? "untyped content") (looks like \(binaryType))"))
        }
        guard body.count < Int(Int32.max) else {
            return .failure(.unparseable(url: url.string, reason: "the body is larger than 2 GB"))
        }
        // libxml2 makes no context for an empty buffer; an empty document has no links.
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .success(ParsedPage(url: url)) }
        let encoding = HTMLSniffer.encoding(headerCharset: headers.charset, body: body)
        // Bytes that are not UTF-8 in a UTF-8 document go through libxml2 escaped, so an href
        // keeps them as sent (see InvalidUTF8Escape).
        if encoding == "UTF-8", let escaped = InvalidUTF8Escape.escaping(body) {
            return escaped.withUnsafeBytes { parse(url: url, body: $0, encoding: encoding, restoresEscapes: true) }
        }
        return parse(url: url, body: body, encoding: encoding, restoresEscapes: false)
    }

    /// Runs libxml2's SAX parser over `body` in `encoding` and collects the page.
    private func parse(url: NormalizedURL, body: UnsafeRawBufferPointer, encoding: String, restoresEscapes: Bool) -> Result<ParsedPage, ParseError> {
        guard body.count < Int(Int32.max) else {
            return .failure(.unparseable(url: url.string, reason: "the body is larger than 2 GB"))
        }
        let collector = LinkCollector(maxAnchorTextLength: options.maxAnchorTextLength, restoresEscapes: restoresEscapes)
        var errorNumber: Int32 = 0
        var unknownEncoding: Int32 = 0
        var created = false
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        withUnsafePointer(to: LinkCollector.saxHandler) { sax in
            guard let context = cxml_html_sax_context(sax, unmanaged.toOpaque(), encoding, Self.parserOptions, &unknownEncoding) else { return }
            created = true
            errorNumber = cxml_html_sax_run(context, body.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(body.count))
        }
        guard created else {
            return .failure(.unparseable(url: url.string, reason: "libxml2 could not create a parser (out of memory?)"))
        }
        if errorNumber == Int32(XML_ERR_NO_MEMORY.rawValue) {
            return .failure(.unparseable(url: url.string, reason: "libxml2 ran out of memory"))
        }
        _ = unknownEncoding  // An unknown charset label parses as UTF-8-compatible bytes, as browsers fall back.
        return .success(collector.page(for: url))
    }
}

/// libxml2's one-time global initialization, done before any parsing thread starts.
enum LibXML2 {
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Initializes libxml2 once per process (thread-safe: Swift globals are lazy and atomic).
    static func ensureInitialized() {
        _ = initialized
    }
}

/// The SAX callbacks' state for one document. Only touched by the thread running the parse.
final class LinkCollector {
    /// A link as found, before resolution.
    struct RawLink {
        /// Where the reference's UTF-8 bytes lie in `hrefBytes`.
        var href: Range<Int>
        var kind: LinkKind
        var rel: String?
        var anchorText: String
        var nofollow: Bool
    }

    let maxAnchorTextLength: Int
    /// Bytes of collapsed text kept for an anchor: enough for `maxAnchorTextLength` characters.
    let maxTextBytes: Int
    var links: [RawLink] = []
    /// The references of `links`, one after another: one buffer per page rather than a String
    /// per link (the resolver's fast path reads bytes; only the general path needs a String).
    var hrefBytes: [UInt8] = []
    var baseHref: String?
    var canonicalHref: String?
    var robots = MetaRobots()
    var title: String?
    /// Index in `links` of the open `<a>` whose text is being collected.
    var openAnchor: Int?
    var anchorText = TextAccumulator()
    var inTitle = false
    var titleText = TextAccumulator()

    /// Whether the document went to libxml2 with its invalid UTF-8 escaped (`InvalidUTF8Escape`):
    /// then every string it gives back has its escapes restored.
    let restoresEscapes: Bool

    init(maxAnchorTextLength: Int, restoresEscapes: Bool = false) {
        self.maxAnchorTextLength = max(0, maxAnchorTextLength)
        self.maxTextBytes = max(0, maxAnchorTextLength) * 8 + 16
        self.restoresEscapes = restoresEscapes
    }

    // MARK: The SAX handler

    // nonisolated(unsafe): a constant table of C function pointers, never mutated.
    nonisolated(unsafe) static let saxHandler: htmlSAXHandler = {
        // The collector is kept alive by `extract` (passRetained) for the whole parse, so the
        // callbacks borrow it without a retain and a release each: there is one callback per
        // tag and text node, and those two atomic operations showed as a large share of the
        // parse in the "Link extraction" micro-benchmarks (`make microbench`).
        var handler = htmlSAXHandler()
        handler.startElement = { context, name, attributes in
            guard let context, let name else { return }
            Unmanaged<LinkCollector>.fromOpaque(context)._withUnsafeGuaranteedRef { $0.startElement(name, attributes) }
        }
        handler.endElement = { context, name in
            guard let context, let name else { return }
            Unmanaged<LinkCollector>.fromOpaque(context)._withUnsafeGuaranteedRef { $0.endElement(name) }
        }
        handler.characters = { context, text, length in
            guard let context, let text, length > 0 else { return }
            Unmanaged<LinkCollector>.fromOpaque(context)._withUnsafeGuaranteedRef { $0.characters(text, Int(length)) }
        }
        handler.ignorableWhitespace = handler.characters
        // Script and style content arrives as CDATA: not text, never links.
        handler.cdataBlock = { _, _, _ in }
        return handler
    }()

    @inline(__always)
    private static func nameIs(_ name: UnsafePointer<xmlChar>, _ literal: StaticString) -> Bool {
        // libxml2's HTML parser lower-cases element and attribute names.
        let bytes = literal.utf8Start
        let count = literal.utf8CodeUnitCount
        for index in 0..<count where name[index] != bytes[index] { return false }
        return name[count] == 0
    }

    /// The value of an attribute, escapes restored as `restored` says; nil if absent.
    private func attribute(
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ wanted: StaticString,
        restoring restored: InvalidUTF8Escape.Restored = .replacementCharacter
    ) -> String? {
        guard restoresEscapes else { return Self.attribute(attributes, wanted) }
        guard let value = Self.attributeBytes(attributes, wanted) else { return nil }
        var bytes: [UInt8] = []
        InvalidUTF8Escape.restore(value, as: restored, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func attribute(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ wanted: StaticString) -> String? {
        guard var cursor = attributes else { return nil }
        while let name = cursor[0] {
            if nameIs(name, wanted) {
                // A valueless attribute (`<a href>`) has a NULL value: an empty reference.
                guard let value = cursor[1] else { return "" }
                return String(cString: value)
            }
            cursor += 2
        }
        return nil
    }

    /// The value of an attribute as bytes (valid until the callback returns), empty for a
    /// valueless one; nil if absent.
    private static func attributeBytes(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ wanted: StaticString) -> UnsafeBufferPointer<UInt8>? {
        guard var cursor = attributes else { return nil }
        while let name = cursor[0] {
            if nameIs(name, wanted) {
                guard let value = cursor[1] else { return UnsafeBufferPointer(start: nil, count: 0) }
                return UnsafeBufferPointer(start: value, count: strlen(value))
            }
            cursor += 2
        }
        return nil
    }

    /// Keeps a reference's bytes in `hrefBytes`.
    private func store(_ href: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = hrefBytes.count
        if restoresEscapes {
            InvalidUTF8Escape.restore(href, as: .percentEncoded, into: &hrefBytes)
        } else {
            hrefBytes.append(contentsOf: href)
        }
        return start..<hrefBytes.count
    }

    func startElement(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        switch name[0] {
        case UInt8(ascii: "a"):
            if Self.nameIs(name, "a") {
                closeAnchor()
                guard let href = Self.attributeBytes(attributes, "href") else { return }
                let rel = attribute(attributes, "rel")?.lowercased()
                links.append(RawLink(href: store(href), kind: .a, rel: rel, anchorText: "", nofollow: Self.hasToken(rel, "nofollow")))
                openAnchor = links.count - 1
                anchorText.reset()
            } else if Self.nameIs(name, "area") {
                guard let href = Self.attributeBytes(attributes, "href") else { return }
                let rel = attribute(attributes, "rel")?.lowercased()
                let alt = attribute(attributes, "alt") ?? attribute(attributes, "title") ?? ""
                var text = TextAccumulator()
                text.append(Array(alt.utf8), limit: maxTextBytes)
                links.append(RawLink(href: store(href), kind: .area, rel: rel, anchorText: text.string(maxCharacters: maxAnchorTextLength), nofollow: Self.hasToken(rel, "nofollow")))
            } else if Self.nameIs(name, "audio") {
                appendSource(attributes, kind: .audio)
            }
        case UInt8(ascii: "l"):
            guard Self.nameIs(name, "link"), let href = Self.attributeBytes(attributes, "href") else { return }
            let rel = attribute(attributes, "rel")?.lowercased()
            let stored = store(href)
            if canonicalHref == nil, Self.hasToken(rel, "canonical") { canonicalHref = String(decoding: hrefBytes[stored], as: UTF8.self) }
            links.append(RawLink(href: stored, kind: .link, rel: rel, anchorText: "", nofollow: Self.hasToken(rel, "nofollow")))
        case UInt8(ascii: "i"):
            if Self.nameIs(name, "img") {
                appendSource(attributes, kind: .img)
            } else if Self.nameIs(name, "iframe") {
                appendSource(attributes, kind: .iframe)
            }
        case UInt8(ascii: "f"):
            if Self.nameIs(name, "frame") { appendSource(attributes, kind: .frame) }
        case UInt8(ascii: "s"):
            if Self.nameIs(name, "script") {
                appendSource(attributes, kind: .script)
            } else if Self.nameIs(name, "source") {
                appendSource(attributes, kind: .source)
            }
        case UInt8(ascii: "v"):
            if Self.nameIs(name, "video") { appendSource(attributes, kind: .video) }
        case UInt8(ascii: "e"):
            if Self.nameIs(name, "embed") { appendSource(attributes, kind: .embed) }
        case UInt8(ascii: "b"):
            if baseHref == nil, Self.nameIs(name, "base"), let href = attribute(attributes, "href", restoring: .percentEncoded) { baseHref = href }
        case UInt8(ascii: "t"):
            if title == nil, !inTitle, Self.nameIs(name, "title") {
                inTitle = true
                titleText.reset()
            }
        case UInt8(ascii: "m"):
            guard Self.nameIs(name, "meta") else { return }
            if let equiv = attribute(attributes, "http-equiv"), equiv.trimmingASCIIWhitespace().lowercased() == "refresh" {
                if let content = attribute(attributes, "content", restoring: .percentEncoded), let target = MetaRefresh.url(in: content) {
                    let start = hrefBytes.count
                    hrefBytes.append(contentsOf: target.utf8)
                    links.append(RawLink(href: start..<hrefBytes.count, kind: .refresh, rel: nil, anchorText: "", nofollow: false))
                }
                return
            }
            guard let metaName = attribute(attributes, "name"),
                metaName.trimmingASCIIWhitespace().lowercased() == "robots",
                let content = attribute(attributes, "content")
            else { return }
            for directive in content.lowercased().split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }) {
                switch directive {
                case "noindex": robots.noindex = true
                case "nofollow": robots.nofollow = true
                case "none": robots.noindex = true; robots.nofollow = true
                default: break
                }
            }
        default:
            return
        }
    }

    func endElement(_ name: UnsafePointer<xmlChar>) {
        if name[0] == UInt8(ascii: "a"), name[1] == 0 {
            closeAnchor()
        } else if inTitle, Self.nameIs(name, "title") {
            inTitle = false
            title = titleText.string(maxCharacters: 4096)
        }
    }

    func characters(_ text: UnsafePointer<xmlChar>, _ length: Int) {
        guard openAnchor != nil || inTitle else { return }
        let buffer = UnsafeBufferPointer(start: text, count: length)
        if restoresEscapes {
            var restored: [UInt8] = []
            InvalidUTF8Escape.restore(buffer, as: .replacementCharacter, into: &restored)
            if openAnchor != nil { anchorText.append(restored, limit: maxTextBytes) }
            if inTitle { titleText.append(restored, limit: 16 * 1024) }
            return
        }
        if openAnchor != nil { anchorText.append(buffer, limit: maxTextBytes) }
        if inTitle { titleText.append(buffer, limit: 16 * 1024) }
    }

    private func closeAnchor() {
        guard let index = openAnchor else { return }
        links[index].anchorText = anchorText.string(maxCharacters: maxAnchorTextLength)
        openAnchor = nil
    }

    /// A link from an element's `src` (`img`, `script`, media, `embed`, frames), if it has one.
    private func appendSource(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, kind: LinkKind) {
        guard let src = Self.attributeBytes(attributes, "src") else { return }
        links.append(RawLink(href: store(src), kind: kind, rel: nil, anchorText: "", nofollow: false))
    }

    private static func hasToken(_ list: String?, _ token: String) -> Bool {
        guard let list else { return false }
        return list.htmlTokens.contains { $0 == token }
    }

    // MARK: The page

    /// Resolves every collected reference against the base and builds the page.
    func page(for url: NormalizedURL) -> ParsedPage {
        closeAnchor()
        if inTitle { title = titleText.string(maxCharacters: 4096); inTitle = false }
        // The first <base href>, itself resolved against the page URL; if it is not a valid
        // http(s) URL the page URL is the base, as in browsers.
        let base = baseHref.flatMap { url.resolve($0) } ?? url
        // Every link is resolved against the same base: work out its part once.
        var resolver = ReferenceResolver(base: base)
        var resolved: [Link] = []
        resolved.reserveCapacity(links.count)
        hrefBytes.withUnsafeBufferPointer { hrefs in
            for raw in links {
                guard let target = resolver.resolve(utf8: UnsafeBufferPointer(rebasing: hrefs[raw.href])) else { continue }
                resolved.append(Link(target: target, kind: raw.kind, rel: raw.rel, anchorText: raw.anchorText, nofollow: raw.nofollow))
            }
        }
        let canonical = canonicalHref.flatMap { resolver.resolve($0) }
        return ParsedPage(url: url, title: title, canonicalURL: canonical, robots: robots, links: resolved)
    }
}

/// Text with runs of ASCII whitespace collapsed to one space and leading whitespace dropped,
/// bounded in bytes as it grows (a 10 MB anchor costs no more than a short one).
struct TextAccumulator {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        pendingSpace = false
    }

    mutating func append(_ text: some Sequence<UInt8>, limit: Int) {
        for byte in text {
            if bytes.count >= limit { return }
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20); pendingSpace = false }
                bytes.append(byte)
            }
        }
    }

    /// The text, trimmed, cut to `maxCharacters` characters.
    func string(maxCharacters: Int) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count > maxCharacters else { return text }  // fewer bytes than the limit: fewer characters too
        var cut = String(text.prefix(maxCharacters))
        while cut.last?.isWhitespace == true { cut.removeLast() }
        return cut
    }
}
