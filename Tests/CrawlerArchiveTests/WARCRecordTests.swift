@testable import CrawlerArchive
import CrawlerCore
import Foundation
import Testing

/// Digests, dates, record IDs and the records built from wire exchanges.
@Suite struct WARCRecordTests {
    /// RFC 4648's base32 test vectors, through the digest of known inputs: SHA-1 of nothing is
    /// da39a3ee…, whose base32 every WARC tool writes for an empty payload.
    @Test func digestsAreSHA1InBase32() {
        #expect(WARCDigest.sha1([UInt8]()) == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
        // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d (FIPS 180-2's example).
        #expect(WARCDigest.sha1(Array("abc".utf8)) == "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5")
    }

    @Test func datesAreUTCToTheSecond() {
        #expect(WARCDate.string(0) == "1970-01-01T00:00:00Z")
        #expect(WARCDate.string(1_764_954_245.9) == "2025-12-05T17:04:05Z")
    }

    @Test func recordIDsAreVersion4UUIDURNs() {
        let id = WARCRecordID.make()
        #expect(id.hasPrefix("<urn:uuid:") && id.hasSuffix(">"))
        let uuid = id.dropFirst(10).dropLast()
        let groups = uuid.split(separator: "-").map(\.count)
        #expect(groups == [8, 4, 4, 4, 12])
        #expect(uuid.split(separator: "-")[2].first == "4")
        #expect("89ab".contains(uuid.split(separator: "-")[3].first!), "the RFC 4122 variant")
        #expect(uuid.allSatisfy { "0123456789abcdef-".contains($0) })
        #expect(UUID(uuidString: String(uuid)) != nil)
        let many = Set((0..<10_000).map { _ in WARCRecordID.make() })
        #expect(many.count == 10_000 && !many.contains(id))
        // Every random bit varies: no byte of the UUID is stuck (a draw reused, a byte left 0).
        let hexes = many.map { Array($0.dropFirst(10).dropLast().filter { $0 != "-" }) }
        for position in 0..<32 where position != 12 && position != 16 {
            #expect(Set(hexes.map { $0[position] }).count > 1, "hex digit \(position) never changes")
        }
    }

    /// The block is the header as received and the payload; the digests are of those bytes.
    @Test func responseRecordKeepsTheWireBytes() throws {
        let exchange = Self.exchange("http://127.0.0.1/a", body: "<p>hello</p>")
        let record = WARCRecord.response(exchange, id: "<urn:uuid:1>", payloadDigest: WARCDigest.sha1(exchange.payload), warcinfoID: "<urn:uuid:0>")
        #expect(record.block == exchange.responseHeader + exchange.payload)
        #expect(record["WARC-Payload-Digest"] == WARCDigest.sha1(Array("<p>hello</p>".utf8)))
        #expect(record["WARC-Block-Digest"] == WARCDigest.sha1(record.block))
        #expect(record["warc-target-uri"] == "http://127.0.0.1/a")
        #expect(record["WARC-IP-Address"] == "127.0.0.1")
        #expect(record.httpStatus == 200)
        #expect(record.httpPayload.map(Array.init) == Array("<p>hello</p>".utf8))
        let text = String(decoding: record.serialized(), as: UTF8.self)
        #expect(text.hasPrefix("WARC/1.1\r\nWARC-Type: response\r\n"))
        #expect(text.contains("Content-Length: \(record.block.count)\r\n\r\nHTTP/1.1 200 OK"))
        #expect(text.hasSuffix("</p>\r\n\r\n"))
    }

    /// The payload is stored de-chunked, so a `Transfer-Encoding` header must not tell a reader
    /// to de-chunk it again.
    @Test func transferEncodingIsRenamed() {
        let header = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n".utf8)
        let archived = String(decoding: WARCRecord.archivedHeader(header), as: UTF8.self)
        #expect(archived == "HTTP/1.1 200 OK\r\nX-Crawler-Transfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n")
        let plain = Array("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n".utf8)
        #expect(WARCRecord.archivedHeader(plain) == plain)
    }

    static func exchange(_ url: String, body: String, at time: Double = 1_764_954_245) -> HTTPExchange {
        let payload = Array(body.utf8)
        let path = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(3).first.map { "/" + $0 } ?? "/"
        return HTTPExchange(
            url: NormalizedURL(url)!, startedAt: time, ipAddress: "127.0.0.1",
            requestHeader: Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n".utf8),
            responseHeader: Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(payload.count)\r\n\r\n".utf8),
            payload: payload)
    }
}
