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
    ]

    static let requests: [WorkerRequest] = [
        .parse(id: 1, job: ParseJob(url: NormalizedURL("http://e.test/a")!, headers: ResponseHeaders(contentType: "text/html; charset=utf-8"), body: Array("<a href=x>".utf8))),
        .parse(id: 2, job: ParseJob(url: NormalizedURL("http://e.test:81/")!, headers: ResponseHeaders(contentType: nil), body: [], testFault: .hang)),
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
            #expect(NormalizedURL(decoded.string) == decoded)
        }
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
