import CrawlerCore
import Testing

@testable import CrawlerParse

@Suite struct WireFormatTests {
    static let samplePage = ParsedPage(
        url: NormalizedURL("https://user@Example.test:8443/a/b?x=1&y=%C3%A9")!,
        title: "Tîtle",
        canonicalURL: NormalizedURL("http://example.test/canonical")!,
        robots: MetaRobots(noindex: true, nofollow: false),
        links: [
            Link(target: NormalizedURL("http://example.test/")!, kind: .a, rel: "nofollow", anchorText: "héllo", nofollow: true),
            Link(target: NormalizedURL("http://[::1]:8080/p?q")!, kind: .area, anchorText: ""),
            Link(target: NormalizedURL("http://xn--caf-dma.test/x")!, kind: .link, rel: "stylesheet"),
            Link(target: NormalizedURL("http://example.test/f")!, kind: .iframe),
            Link(target: NormalizedURL("http://example.test/g?")!, kind: .frame),
        ])

    static let responses: [WorkerResponse] = [
        .parsed(id: 1, result: .success(samplePage)),
        .parsed(id: 2, result: .success(ParsedPage(url: NormalizedURL("http://e.test/")!))),
        .parsed(id: 300, result: .failure(.notHTML(url: "http://e.test/", mediaType: "image/png"))),
        .parsed(id: 4, result: .failure(.workerCrashed(url: "http://e.test/", reason: "SIGSEGV"))),
        .parsed(id: 5, result: .failure(.timeout(url: "http://e.test/", seconds: 10.5))),
        .parsed(id: 6, result: .failure(.memoryLimit(url: "http://e.test/", megabytes: 1024))),
        .parsed(id: UInt32.max, result: .failure(.unparseable(url: "http://e.test/", reason: "why"))),
        .echoed(id: 8),
        .ready,
    ]

    static let requests: [WorkerRequest] = [
        .parse(id: 1, job: ParseJob(url: NormalizedURL("http://e.test/a")!, headers: ResponseHeaders(contentType: "text/html; charset=utf-8"), body: Array("<a href=x>".utf8))),
        .parse(id: 2, job: ParseJob(url: NormalizedURL("http://e.test:81/")!, headers: ResponseHeaders(contentType: nil), body: [], testFault: .hang)),
        .parse(id: 4, job: ParseJob(url: NormalizedURL("http://e.test/s")!, body: Array("<p>".utf8), testFault: .spin)),
        .echo(id: 3, body: [0, 1, 2, 255]),
    ]

    @Test func responsesRoundTrip() throws {
        for response in Self.responses {
            var writer = WireWriter()
            writer.write(response)
            var decoder = FrameDecoder()
            decoder.append(writer.bytes)
            let payload = try #require(try decoder.nextPayload())
            #expect(try WireReader.response(from: payload) == response)
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func decodedURLsHaveTheirComponents() throws {
        var writer = WireWriter()
        writer.write(WorkerResponse.parsed(id: 1, result: .success(Self.samplePage)))
        var decoder = FrameDecoder()
        decoder.append(writer.bytes)
        guard case .parsed(_, .success(let page)) = try WireReader.response(from: try #require(try decoder.nextPayload())) else {
            Issue.record("not a page")
            return
        }
        for (decoded, original) in zip([page.url] + page.links.map(\.target), [Self.samplePage.url] + Self.samplePage.links.map(\.target)) {
            #expect(decoded.host == original.host)
            #expect(decoded.port == original.port)
            #expect(decoded.path == original.path)
            #expect(decoded.query == original.query)
            #expect(decoded.scheme == original.scheme)
            #expect(decoded.string == original.string)
            #expect(decoded.authority == original.authority)
            #expect(decoded.origin == original.origin)
            #expect(decoded.pathAndQuery == original.pathAndQuery)
            #expect(decoded.offsets == original.offsets)
            #expect(NormalizedURL(decoded.string) == decoded)
        }
    }

    /// A parsed-page frame whose page URL is `string` (raw bytes) with these offsets.
    static func pageFrame(_ string: [UInt8], _ offsets: [Int]) -> ArraySlice<UInt8> {
        var writer = WireWriter()
        writer.writeByte(WireFormat.MessageType.parsedResponse.rawValue)
        writer.write(varint: 1)
        writer.write(varint: string.count)
        writer.bytes += string
        for offset in offsets { writer.write(varint: offset) }
        writer.writeByte(0)  // no title
        writer.writeByte(0)  // no canonical URL
        writer.writeByte(0)  // robots
        writer.write(varint: 0)  // no links
        return writer.bytes[...]
    }

    @Test func urlOffsetsThatDoNotFitAreAnError() throws {
        let string = Array("http://user@h.test:8080/a?q".utf8)
        // The offsets the writer writes: host start and end, path start, query start.
        guard case .parsed(_, .success(let page)) = try WireReader.response(from: Self.pageFrame(string, [12, 18, 23, 26])) else {
            Issue.record("not a page")
            return
        }
        #expect(page.url == NormalizedURL("http://user@h.test:8080/a?q"))
        #expect([page.url.host, page.url.port.map(String.init), page.url.path, page.url.query] == ["h.test", "8080", "/a", "q"])
        let wrong: [[Int]] = [
            [7, 18, 23, 26], [11, 18, 23, 26], [12, 12, 23, 26], [12, 19, 23, 26], [12, 18, 22, 26], [12, 18, 23, 25], [12, 18, 23, 27], [12, 18, 23, 1000],
            [12, 18, 1000, 0], [18, 12, 23, 0], [12, 18, 23, 0], [12, 23, 23, 0], [0, 0, 0, 0], [Int.max, Int.max, Int.max, Int.max], [12, 18, Int.max, 26],
        ]
        for offsets in wrong {
            #expect(throws: WireFormatError.self, "\(offsets)") { try WireReader.response(from: Self.pageFrame(string, offsets)) }
        }
        // Offsets that fit the bytes but not the string they make (invalid UTF-8 repaired).
        #expect(throws: WireFormatError.self) { try WireReader.response(from: Self.pageFrame(Array("http://h".utf8) + [0xFF] + Array(".test/".utf8), [7, 14, 14, 0])) }
        // Not http(s), and not a URL at all.
        #expect(throws: WireFormatError.self) { try WireReader.response(from: Self.pageFrame(Array("ftp://h.test/".utf8), [6, 12, 12, 0])) }
        #expect(throws: WireFormatError.self) { try WireReader.response(from: Self.pageFrame([], [0, 0, 0, 0])) }
    }

    @Test func requestsRoundTrip() throws {
        for request in Self.requests {
            var writer = WireWriter()
            writer.write(request)
            var decoder = FrameDecoder()
            decoder.append(writer.bytes)
            #expect(try WireReader.request(from: try #require(try decoder.nextPayload())) == request)
        }
    }

    /// Every split of a stream of frames into chunks gives the same frames back.
    @Test(arguments: [1, 2, 3, 5, 7, 64, 1000, 100_000])
    func framesSplitAtArbitraryBoundaries(chunkSize: Int) throws {
        var writer = WireWriter()
        for response in Self.responses { writer.write(response) }
        let stream = writer.bytes
        var decoder = FrameDecoder()
        var decoded: [WorkerResponse] = []
        var offset = 0
        // Vary the chunk sizes around chunkSize so boundaries land everywhere.
        var step = 0
        while offset < stream.count {
            let size = max(1, chunkSize + (step % 3) - 1)
            let end = min(stream.count, offset + size)
            decoder.append(stream[offset..<end])
            while let payload = try decoder.nextPayload() { decoded.append(try WireReader.response(from: payload)) }
            offset = end
            step += 1
        }
        #expect(decoded == Self.responses)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func corruptLengthIsAnError() {
        var decoder = FrameDecoder()
        decoder.append([0xFF, 0xFF, 0xFF, 0x7F, 1])
        #expect(throws: WireFormatError.self) { try decoder.nextPayload() }
    }

    @Test func truncatedPayloadIsAnError() throws {
        var writer = WireWriter()
        writer.write(WorkerResponse.parsed(id: 1, result: .success(Self.samplePage)))
        let payload = writer.bytes[4..<(writer.bytes.count - 3)]
        #expect(throws: WireFormatError.self) { try WireReader.response(from: payload) }
        #expect(throws: WireFormatError.self) { try WireReader.response(from: [0x42][...]) }
    }
}
