import CrawlerCore
import NIOCore
import NIOPosix
import Testing

@testable import CrawlerFetch

/// The response headers every engine reads through `curl_easy_header`, against a server that
/// answers each connection with fixed bytes: an interim 103 block before the real response,
/// names in any case, padded values, a header sent twice.
@Suite(.serialized)
struct ResponseHeaderTests {
    static let earlyHints = """
        HTTP/1.1 103 Early Hints\r
        Link: </style.css>; rel=preload\r
        Content-Type: text/css\r
        Location: /not-this\r
        \r
        HTTP/1.1 200 OK\r
        content-type:   text/html; charset=UTF-8  \r
        CONTENT-LENGTH: 5\r
        Retry-After: 7\r
        Connection: close\r
        \r
        hello
        """

    static let redirect = """
        HTTP/1.1 301 Moved Permanently\r
        Location: /next/page.html\r
        Location: /second-location-ignored\r
        Content-Length: 0\r
        Connection: close\r
        \r

        """

    static let tooLong = """
        HTTP/1.1 200 OK\r
        Content-Type: text/html\r
        Content-Length: 100000\r
        Connection: close\r
        \r
        <html>
        """

    static let chunkedWithTrailer = """
        HTTP/1.1 200 OK\r
        Content-Type: text/html\r
        Transfer-Encoding: chunked\r
        Trailer: X-Checksum\r
        Connection: close\r
        \r
        5\r
        hello\r
        0\r
        X-Checksum: abc\r
        \r

        """

    static func fetch(_ response: String, model: FetchModel, capture: Bool = false, maxBytes: Int? = nil) async throws -> Result<FetchResponse, FetchError> {
        let server = try await CannedServer.start(response)
        var options = FetchOptions()
        options.model = model
        options.concurrency = 2
        options.connectTimeoutSeconds = 5
        options.transferTimeoutSeconds = 20
        options.captureExchanges = capture
        if let maxBytes { options.maxBodyBytes = maxBytes }
        let engine = makeFetchEngine(options)
        let result = await engine.fetch(NormalizedURL("http://127.0.0.1:\(server.port)/page")!)
        await engine.shutdown()
        try await server.stop()
        return result
    }

    @Test(arguments: FetchModel.allCases)
    func theRealResponseHeadersWinOverAnInterimBlock(model: FetchModel) async throws {
        let response = try await Self.fetch(Self.earlyHints, model: model, capture: true).get()
        #expect(response.status == 200)
        #expect(response.headers == ResponseHeaders(contentType: "text/html; charset=UTF-8", contentLength: 5, retryAfter: "7"))
        #expect(response.body == Array("hello".utf8))
        // The archive keeps the final block only, byte for byte.
        let kept = String(decoding: try #require(response.exchanges.first).responseHeader, as: UTF8.self)
        #expect(kept.hasPrefix("HTTP/1.1 200 OK\r\ncontent-type:   text/html"))
        #expect(kept.hasSuffix("Connection: close\r\n\r\n"))
        #expect(!kept.contains("103"))
    }

    @Test(arguments: FetchModel.allCases)
    func aRedirectKeepsItsFirstLocation(model: FetchModel) async throws {
        let response = try await Self.fetch(Self.redirect, model: model).get()
        #expect(response.status == 301)
        #expect(response.headers.location == "/next/page.html")
        #expect(response.headers.contentLength == 0)
        #expect(response.headers.contentType == nil)
    }

    @Test(arguments: FetchModel.allCases)
    func trailersAfterAChunkedBodyAreNotTheResponseHeaders(model: FetchModel) async throws {
        let response = try await Self.fetch(Self.chunkedWithTrailer, model: model, capture: true).get()
        #expect(response.status == 200)
        #expect(response.headers.contentType == "text/html")
        #expect(response.body == Array("hello".utf8))
        let kept = String(decoding: try #require(response.exchanges.first).responseHeader, as: UTF8.self)
        #expect(kept.hasPrefix("HTTP/1.1 200 OK\r\n") && kept.hasSuffix("Connection: close\r\n\r\n"), "\(kept)")
        #expect(!kept.contains("X-Checksum: abc"))
    }

    /// curl refuses a declared length over a failing limit itself (CURLOPT_MAXFILESIZE_LARGE).
    @Test func aDeclaredLengthOverTheLimitIsRefusedBeforeTheBody() async throws {
        let result = try await Self.fetch(Self.tooLong, model: .threads, maxBytes: 1000)
        guard case .failure(.tooLarge) = result else {
            Issue.record("expected tooLarge, got \(result)")
            return
        }
    }
}

/// A loopback server that answers every connection with the same bytes, then closes it.
struct CannedServer {
    let channel: any Channel
    let group: MultiThreadedEventLoopGroup
    var port: Int { channel.localAddress!.port! }

    static func start(_ response: String) async throws -> CannedServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bytes = Array(response.utf8)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Answer(bytes: bytes)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return CannedServer(channel: channel, group: group)
    }

    func stop() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    /// Answers the first read of a connection (curl sends its request in one write).
    private final class Answer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let bytes: [UInt8]
        var answered = false
        init(bytes: [UInt8]) { self.bytes = bytes }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            answered = true
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(bytes: bytes))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }
}
