import CrawlerCore

/// The records a crawl writes, built from wire exchanges (WARC 1.1 §6).
extension WARCRecord {
    /// The revisit profile for a payload seen before (WARC 1.1 §6.7.2).
    static let profileIdenticalPayload = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"

    /// A `warcinfo` record: what wrote the file, and how (`application/warc-fields`).
    public static func warcinfo(filename: String, id: String, date: Double, info: [WARCField]) -> WARCRecord {
        var block = ""
        for field in info { block += "\(field.name): \(field.value)\r\n" }
        return WARCRecord(
            type: .warcinfo,
            fields: [
                WARCField("WARC-Record-ID", id), WARCField("WARC-Date", WARCDate.string(date)),
                WARCField("WARC-Filename", filename), WARCField("Content-Type", "application/warc-fields"),
            ],
            block: Array(block.utf8))
    }

    /// The `request` record of `exchange`.
    public static func request(_ exchange: HTTPExchange, id: String, concurrentTo responseID: String, warcinfoID: String) -> WARCRecord {
        var fields = [
            WARCField("WARC-Record-ID", id), WARCField("WARC-Date", WARCDate.string(exchange.startedAt)),
            WARCField("WARC-Target-URI", exchange.url.string), WARCField("WARC-Concurrent-To", responseID),
            WARCField("WARC-Warcinfo-ID", warcinfoID), WARCField("Content-Type", "application/http;msgtype=request"),
        ]
        if let ip = exchange.ipAddress { fields.insert(WARCField("WARC-IP-Address", ip), at: 3) }
        fields.append(WARCField("WARC-Block-Digest", WARCDigest.sha1(exchange.requestHeader)))
        return WARCRecord(type: .request, fields: fields, block: exchange.requestHeader)
    }

    /// The `response` record of `exchange`: header block and payload as received.
    public static func response(_ exchange: HTTPExchange, id: String, payloadDigest: String, warcinfoID: String) -> WARCRecord {
        let header = archivedHeader(exchange.responseHeader)
        var block = header
        block.append(contentsOf: exchange.payload)
        var fields = responseFields(exchange, id: id, warcinfoID: warcinfoID)
        fields.append(WARCField("WARC-Payload-Digest", payloadDigest))
        fields.append(WARCField("WARC-Block-Digest", WARCDigest.sha1(block)))
        if exchange.truncated { fields.append(WARCField("WARC-Truncated", "length")) }
        return WARCRecord(type: .response, fields: fields, block: block)
    }

    /// A `revisit` record: `exchange`'s payload is the one `original` holds, so only its
    /// header block is kept (identical-payload-digest profile).
    public static func revisit(_ exchange: HTTPExchange, id: String, payloadDigest: String, original: ArchivedResponse, warcinfoID: String) -> WARCRecord {
        let block = archivedHeader(exchange.responseHeader)
        var fields = responseFields(exchange, id: id, warcinfoID: warcinfoID)
        fields += [
            WARCField("WARC-Profile", profileIdenticalPayload), WARCField("WARC-Refers-To", original.recordID),
            WARCField("WARC-Refers-To-Target-URI", original.targetURI), WARCField("WARC-Refers-To-Date", original.date),
            WARCField("WARC-Payload-Digest", payloadDigest), WARCField("WARC-Block-Digest", WARCDigest.sha1(block)),
        ]
        return WARCRecord(type: .revisit, fields: fields, block: block)
    }

    /// A `metadata` record listing the outlinks of the page `responseID` holds.
    public static func metadata(uri: String, date: Double, id: String, concurrentTo responseID: String, outlinks: [ArchivedPage.Outlink], warcinfoID: String) -> WARCRecord {
        var text = ""
        for link in outlinks { text += "outlink: \(link.target) \(link.kind)\r\n" }
        let block = Array(text.utf8)
        return WARCRecord(
            type: .metadata,
            fields: [
                WARCField("WARC-Record-ID", id), WARCField("WARC-Date", WARCDate.string(date)), WARCField("WARC-Target-URI", uri),
                WARCField("WARC-Concurrent-To", responseID), WARCField("WARC-Warcinfo-ID", warcinfoID),
                WARCField("Content-Type", "application/warc-fields"), WARCField("WARC-Block-Digest", WARCDigest.sha1(block)),
            ],
            block: block)
    }

    private static func responseFields(_ exchange: HTTPExchange, id: String, warcinfoID: String) -> [WARCField] {
        var fields = [
            WARCField("WARC-Record-ID", id), WARCField("WARC-Date", WARCDate.string(exchange.startedAt)),
            WARCField("WARC-Target-URI", exchange.url.string), WARCField("WARC-Warcinfo-ID", warcinfoID),
            WARCField("Content-Type", "application/http;msgtype=response"),
        ]
        if let ip = exchange.ipAddress { fields.insert(WARCField("WARC-IP-Address", ip), at: 3) }
        return fields
    }

    /// The response header block as archived. The payload is kept without its transfer
    /// encoding (WARC 1.1 §6.3), so a `Transfer-Encoding` header is renamed
    /// `X-Crawler-Transfer-Encoding` (as StormCrawler does): a reader must not de-chunk it again.
    static func archivedHeader(_ header: [UInt8]) -> [UInt8] {
        let name = Array("transfer-encoding:".utf8)
        var output: [UInt8] = []
        var lineStart = 0
        var changed = false
        while lineStart < header.count {
            var lineEnd = lineStart
            while lineEnd < header.count, header[lineEnd] != 10 { lineEnd += 1 }
            lineEnd = min(lineEnd + 1, header.count)
            let line = header[lineStart..<lineEnd]
            if line.count > name.count, zip(line.prefix(name.count), name).allSatisfy({ ($0 | 0x20) == $1 }) {
                output.append(contentsOf: "X-Crawler-".utf8)
                changed = true
            }
            output.append(contentsOf: line)
            lineStart = lineEnd
        }
        return changed ? output : header
    }
}
