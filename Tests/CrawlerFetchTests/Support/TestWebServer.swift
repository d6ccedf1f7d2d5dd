import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A stand-in for SyntheticWeb's server until it lands: content hosts on 127.0.0.(k+1) and a
/// fault host after them, all on one port, with latency and per-host request statistics.
final class TestWebServer: @unchecked Sendable {
    struct HostStats: Sendable {
        var total = 0
        var inFlight = 0
        var maxInFlight = 0
        var perPath: [String: Int] = [:]
        var starts: [ContinuousClock.Instant] = []
    }

    var port: Int { portValue }
    let hosts: Int
    private let group: MultiThreadedEventLoopGroup
    private var channels: [any Channel] = []
    private let lock = NSLock()
    private var stats: [String: HostStats] = [:]
    let latency: TimeAmount
    let slowSeconds: Double

    /// Host k's address.
    func hostAddress(_ k: Int) -> String { "127.0.0.\(k + 1)" }
    var faultHost: String { hostAddress(hosts) }
    func url(host k: Int, _ path: String) -> String { "http://\(hostAddress(k)):\(port)\(path)" }
    func faultURL(_ path: String) -> String { url(host: hosts, path) }

    static func start(
        hosts: Int = 2, latencyMs: Int = 0, slowSeconds: Double = 20, crawlDelay: Double? = nil, threads: Int = 1
    ) async throws -> TestWebServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var port = 0
        var channels: [any Channel] = []
        let server = TestWebServer(group: group, hosts: hosts, latency: .milliseconds(Int64(latencyMs)), slowSeconds: slowSeconds)
        server.crawlDelay = crawlDelay
        for k in 0...hosts {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                        channel.pipeline.addHandler(Handler(server: server))
                    }
                }
                .bind(host: "127.0.0.\(k + 1)", port: port).get()
            if port == 0 { port = channel.localAddress!.port! }
            channels.append(channel)
        }
        server.channels = channels
        server.portValue = port
        return server
    }

    private var portValue = 0
    /// `Crawl-delay` in every content host's robots.txt, when set.
    private var crawlDelay: Double?

    private init(group: MultiThreadedEventLoopGroup, hosts: Int, latency: TimeAmount, slowSeconds: Double) {
        self.group = group
        self.hosts = hosts
        self.latency = latency
        self.slowSeconds = slowSeconds
    }

    var requestStats: [String: HostStats] { lock.withLock { stats } }
    func resetStats() { lock.withLock { stats = [:] } }

    func shutdown() async throws {
        for channel in channels { try? await channel.close() }
        try await group.shutdownGracefully()
    }

    fileprivate func began(authority: String, path: String) -> Int {
        lock.withLock {
            var s = stats[authority] ?? HostStats()
            s.total += 1
            s.inFlight += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight)
            s.perPath[path, default: 0] += 1
            s.starts.append(.now)
            stats[authority] = s
            return s.perPath[path]!
        }
    }

    fileprivate func ended(authority: String) {
        lock.withLock { stats[authority]?.inFlight -= 1 }
    }

    /// The body of a content page: deterministic, a few KB.
    static func pageBody(host: String, path: String) -> [UInt8] {
        var html = "<html><head><title>\(host)\(path)</title></head><body>"
        for i in 0..<40 { html += "<p>paragraph \(i) of \(host)\(path)</p>\n" }
        return Array((html + "</body></html>").utf8)
    }

    fileprivate enum Reply {
        case response(status: HTTPResponseStatus, headers: [(String, String)], body: [UInt8])
        case stall(seconds: Double)
        case reset
    }

    fileprivate func reply(host: String, path: String, count: Int) -> Reply {
        func ok(_ body: [UInt8], _ type: String = "text/html; charset=utf-8") -> Reply {
            .response(status: .ok, headers: [("Content-Type", type)], body: body)
        }
        if host == faultHost {
            switch path {
            case "/robots.txt": return .response(status: .notFound, headers: [], body: Array("no robots".utf8))
            case "/redirect/0", "/redirect/1", "/redirect/2":
                let next = Int(path.last!.asciiValue! - 48) + 1
                return .response(status: .movedPermanently, headers: [("Location", "/redirect/\(next)")], body: [])
            case "/redirect/3": return ok(Array("end of the chain".utf8))
            case "/loop/a": return .response(status: .found, headers: [("Location", "/loop/b")], body: [])
            case "/loop/b": return .response(status: .found, headers: [("Location", "/loop/a")], body: [])
            case "/flaky": return count == 1 ? .response(status: .internalServerError, headers: [], body: Array("oops".utf8)) : ok(Array("recovered".utf8))
            case "/rate-limited":
                return count == 1
                    ? .response(status: .tooManyRequests, headers: [("Retry-After", "1")], body: [])
                    : ok(Array("welcome back".utf8))
            case "/slow": return .stall(seconds: slowSeconds)
            case "/huge": return ok([UInt8](repeating: UInt8(ascii: "x"), count: 12 << 20))
            case "/binary": return ok((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            case "/image.png": return ok([0x89, 0x50, 0x4E, 0x47] + [UInt8](repeating: 1, count: 1000), "image/png")
            case "/doc.pdf": return ok(Array("%PDF-1.4 fake".utf8), "application/pdf")
            case "/reset": return .reset
            case "/to-file": return .response(status: .found, headers: [("Location", "file:///etc/passwd")], body: [])
            default: return .response(status: .notFound, headers: [], body: Array("not found".utf8))
            }
        }
        if path == "/robots.txt" {
            let delay = crawlDelay.map { "Crawl-delay: \($0)\n" } ?? ""
            return ok(Array("User-agent: *\nDisallow: /private/\n\(delay)".utf8), "text/plain")
        }
        if path.hasPrefix("/page/") || path == "/" { return ok(Self.pageBody(host: host, path: path)) }
        return .response(status: .notFound, headers: [], body: Array("not found".utf8))
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: TestWebServer
        var head: HTTPRequestHead?
        init(server: TestWebServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                let authority = head.headers.first(name: "host") ?? "?"
                let host = String(authority.split(separator: ":").first ?? "")
                let path = head.uri
                let count = server.began(authority: authority, path: path)
                let reply = server.reply(host: host, path: path, count: count)
                let loop = context.eventLoop
                let boundContext = NIOLoopBound(context, eventLoop: loop)
                var delay = server.latency
                if case .stall(let seconds) = reply { delay = .milliseconds(Int64(seconds * 1000)) }
                loop.scheduleTask(in: delay) {
                    let context = boundContext.value
                    defer { self.server.ended(authority: authority) }
                    switch reply {
                    case .response(let status, let headers, let body):
                        self.send(context: context, status: status, headers: headers, body: body, keepAlive: head.isKeepAlive)
                    case .stall:
                        self.send(context: context, status: .ok, headers: [("Content-Type", "text/plain")], body: Array("finally".utf8), keepAlive: head.isKeepAlive)
                    case .reset:
                        var headers = HTTPHeaders()
                        headers.add(name: "Content-Type", value: "text/html")
                        headers.add(name: "Content-Length", value: "100000")
                        context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
                        context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: [UInt8](repeating: 65, count: 1000))))), promise: nil)
                        context.close(promise: nil)
                    }
                }
                self.head = nil
            }
        }

        func send(context: ChannelHandlerContext, status: HTTPResponseStatus, headers: [(String, String)], body: [UInt8], keepAlive: Bool) {
            var httpHeaders = HTTPHeaders(headers)
            httpHeaders.add(name: "Content-Length", value: String(body.count))
            if !keepAlive { httpHeaders.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: httpHeaders))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                done.whenComplete { _ in bound.value.close(promise: nil) }
            }
        }
    }
}
