import CLibXML2
import CrawlerCore

/// Reads a sitemap's XML with libxml2's `xmlTextReader`: a pull parser that streams the
/// document node by node and never builds a tree, so a 50 MB sitemap costs its bytes and the
/// links kept, nothing more. The only file that touches the reader's C API.
///
/// Only `<loc>` and `<lastmod>` directly inside a `<url>` (of a `<urlset>`) or a `<sitemap>`
/// (of a `<sitemapindex>`) count: extensions such as `<image:image><image:loc>` sit deeper
/// and are ignored. No network access, no external entities (`XML_PARSE_NONET`, no `NOENT`).
///
/// Malformed XML: the reader stops at the first well-formedness error, and every entry that
/// ended before it is kept. The reader gives up on the whole chunk it was fed when the error
/// came, so it is fed `sliceBytes` at a time; when a read fails, the document is read again,
/// the last slices before the error a byte at a time, so that no complete entry is lost (a
/// malformed sitemap costs two reads; a well-formed one, one).
enum SitemapParser {
    /// What the reader found: not a sitemap at all (another XML document, or not XML), or one.
    enum Outcome {
        case notSitemap
        case sitemap(SitemapDocument)
    }

    /// Parses `xml`, a sitemap fetched from `url`, keeping at most `maxEntries` entries.
    static func parse(_ xml: [UInt8], url: NormalizedURL, maxEntries: Int = SitemapLimits.maxEntries) -> Outcome {
        guard !xml.isEmpty, xml.count <= Int(Int32.max) else { return .notSitemap }
        LibXML2.ensureInitialized()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        return xml.withUnsafeBufferPointer { buffer in
            let first = pass(buffer, byteAtATimeFrom: buffer.count, url: url, options: options, maxEntries: maxEntries)
            guard first.failed else { return first.outcome }
            // The error came in the slice that ended at `first.failedAt`: read again, byte by
            // byte from a slice before it, to keep the entries that ended in that slice.
            let fine = max(0, first.failedAt - 2 * sliceBytes)
            return pass(buffer, byteAtATimeFrom: fine, url: url, options: options, maxEntries: maxEntries).outcome
        }
    }

    /// One read of the document, fed in slices, a byte at a time from `byteAtATimeFrom` on.
    private static func pass(
        _ buffer: UnsafeBufferPointer<UInt8>, byteAtATimeFrom fine: Int, url: NormalizedURL, options: Int32, maxEntries: Int
    ) -> (outcome: Outcome, failed: Bool, failedAt: Int) {
        xmlResetLastError()
        let source = SliceSource(bytes: buffer, byteAtATimeFrom: fine)
        return withExtendedLifetime(source) {
            let context = Unmanaged.passUnretained(source).toOpaque()
            guard let reader = xmlReaderForIO(SliceSource.read, SliceSource.close, context, url.string, nil, options) else {
                return (.notSitemap, false, 0)
            }
            defer { xmlFreeTextReader(reader) }
            let (outcome, failed) = read(reader, url: url, maxEntries: maxEntries)
            return (outcome, failed, source.offset)
        }
    }

    /// Bytes handed to the reader at a time, half the chunk the reader itself parses at once:
    /// the byte-by-byte second read starts at most two slices before the error. Not measured
    /// against a larger slice; `SitemapReaderTests.fiftyThousandURLsAtMost` reads 2.4 MB with it.
    static let sliceBytes = 256

    /// The document as the reader's input: handed over `sliceBytes` at a time, then one byte at
    /// a time from `byteAtATimeFrom` on.
    private final class SliceSource {
        let bytes: UnsafeBufferPointer<UInt8>
        let byteAtATimeFrom: Int
        var offset = 0

        init(bytes: UnsafeBufferPointer<UInt8>, byteAtATimeFrom: Int) {
            self.bytes = bytes
            self.byteAtATimeFrom = byteAtATimeFrom
        }

        /// Bytes the next read hands over at most.
        var nextSlice: Int {
            if offset >= byteAtATimeFrom { return 1 }
            return min(SitemapParser.sliceBytes, byteAtATimeFrom - offset)
        }

        /// libxml2's read callback: copies the next slice into `buffer`; 0 at the end.
        static let read: xmlInputReadCallback = { context, buffer, length in
            guard let context, let buffer else { return -1 }
            let source = Unmanaged<SliceSource>.fromOpaque(context).takeUnretainedValue()
            let count = min(Int(length), source.nextSlice, source.bytes.count - source.offset)
            if count > 0 {
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.bytes.baseAddress! + source.offset, byteCount: count)
                source.offset += count
            }
            return Int32(count)
        }

        /// libxml2's close callback: the bytes belong to the caller.
        static let close: xmlInputCloseCallback = { _ in 0 }
    }

    /// The element whose text is being collected.
    private enum Field { case loc, lastmod }

    /// Walks the reader's nodes; `failed` when the XML is malformed (reported in the document).
    private static func read(_ reader: xmlTextReaderPtr, url: NormalizedURL, maxEntries: Int) -> (Outcome, failed: Bool) {
        var document: SitemapDocument?
        var entryName = ""  // `url` in a urlset, `sitemap` in an index
        var inEntry = false, field: Field?
        var text = "", loc: String?, lastmod: String?
        var entries = 0
        var failed = false

        func finishEntry() {
            guard let location = loc, !location.isEmpty else { return }
            entries += 1
            if document!.links.count >= maxEntries {
                document!.droppedEntries += 1
            } else if let target = url.resolve(location) {
                document!.links.append(Link(target: target, kind: .sitemap, lastmod: lastmod.flatMap { $0.isEmpty ? nil : $0 }))
            } else {
                document!.invalidEntries += 1
            }
        }

        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 {  // malformed: reported below, with what was read
                failed = true
                break
            }
            let depth = xmlTextReaderDepth(reader)
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let name = localName(reader)
                guard document != nil else {
                    switch name {
                    case "urlset": document = SitemapDocument(kind: .urlset); entryName = "url"
                    case "sitemapindex": document = SitemapDocument(kind: .sitemapIndex); entryName = "sitemap"
                    default: return (.notSitemap, false)
                    }
                    continue
                }
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                if depth == 1, name == entryName {
                    inEntry = !empty
                    loc = nil
                    lastmod = nil
                } else if depth == 2, inEntry, name == "loc" || name == "lastmod" {
                    field = name == "loc" ? .loc : .lastmod
                    text = ""
                    if empty { field = nil }
                }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue):
                if field != nil, let value = xmlTextReaderConstValue(reader) { text += String(cString: value) }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if depth == 2, let current = field {
                    let value = text.trimmingASCIIWhitespace()
                    switch current {
                    case .loc: loc = value
                    case .lastmod: lastmod = value
                    }
                    field = nil
                } else if depth == 1, inEntry {
                    finishEntry()
                    inEntry = false
                }
            default:
                break
            }
        }
        // No root element: not XML, or the error came in the first slice, before the root was
        // handed over (then the second, finer read finds it).
        guard var result = document else { return (.notSitemap, failed) }
        if let error = xmlGetLastError(), error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue {
            result.problem = .sitemap(url: url.string, problem: malformedMessage(error, entriesKept: result.links.count))
        }
        if result.droppedEntries > 0, result.problem == nil {
            result.problem = .sitemap(
                url: url.string,
                problem: "lists \(entries) URLs, more than the protocol's \(maxEntries); the first \(maxEntries) were kept and \(result.droppedEntries) dropped (split it into several sitemaps under a sitemap index)")
        }
        return (.sitemap(result), failed)
    }

    /// The element's local name (without its namespace prefix).
    private static func localName(_ reader: xmlTextReaderPtr) -> String {
        guard let name = xmlTextReaderConstLocalName(reader) else { return "" }
        return String(cString: name)
    }

    /// libxml2's last error on this thread, as a sentence saying what was kept.
    private static func malformedMessage(_ error: xmlErrorPtr, entriesKept: Int) -> String {
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
        return "malformed XML (line \(error.pointee.line): \(message.trimmingASCIIWhitespace())); the \(entriesKept) entries before the error were kept, the rest were not read: fix the sitemap"
    }
}
