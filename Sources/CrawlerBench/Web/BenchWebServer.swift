import CrawlerCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// The bench's embedded web: serves a `BenchSite` on 127.0.0.1…127.0.0.N, one port for all hosts,
/// every response delayed by `latencyMs` on an event-loop timer (no sleeping threads), so a
/// fetch engine can keep hundreds of transfers waiting at once.
///
/// It runs on one event-loop thread of the bench's parent process; the measured points run in
/// child processes, so its CPU is not counted as theirs.
public final class BenchWebServer: Sendable {
    /// The site served, with its port filled in.
    public let site: BenchSite
    /// The response delay in milliseconds.
    public let latencyMs: Int
    private let group: MultiThreadedEventLoopGroup
    private let channels: [any Channel]

    private init(site: BenchSite, latencyMs: Int, group: MultiThreadedEventLoopGroup, channels: [any Channel]) {
        self.site = site
        self.latencyMs = latencyMs
        self.group = group
        self.channels = channels
    }

    /// Starts serving `site` on a free port (`site.port` is ignored). Throws when a loopback
    /// address cannot be bound (127.0.0.2 and up need Linux's default loopback /8).
    public static func start(site: BenchSite, latencyMs: Int) async throws -> BenchWebServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var site = site
        var channels: [any Channel] = []
        do {
            var port = 0
            // Bodies are rendered once, so serving a page costs the server a copy, not a render.
            var bodies: [ByteBuffer] = []
            for index in 0..<site.pages { bodies.append(ByteBuffer(bytes: site.body(ofPage: index))) }
            let pages = PageTable(site: site, bodies: bodies)
            let delay = TimeAmount.milliseconds(Int64(latencyMs))
            for host in 0..<site.hosts {
                let channel = try await ServerBootstrap(group: group)
                    .serverChannelOption(.backlog, value: 1024)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMapThrowing {
                            try channel.pipeline.syncOperations.addHandler(PageHandler(pages: pages, delay: delay))
                        }
                    }
                    .bind(host: "127.0.0.\(host + 1)", port: port).get()
                if port == 0, let bound = channel.localAddress?.port { port = bound }
                channels.append(channel)
            }
            site.port = port
        } catch {
            for channel in channels { try? await channel.close() }
            try? await group.shutdownGracefully()
            throw BenchError.webServer("could not start the embedded web on 127.0.0.1-127.0.0.\(site.hosts): \(error); check that loopback addresses are available, or pass --url")
        }
        return BenchWebServer(site: site, latencyMs: latencyMs, group: group, channels: channels)
    }

    /// Stops serving.
    public func shutdown() async {
        for channel in channels { try? await channel.close() }
        try? await group.shutdownGracefully()
    }
}

/// The rendered pages, shared read-only by every connection.
private struct PageTable: Sendable {
    let site: BenchSite
    let bodies: [ByteBuffer]
}

/// Answers `/p/N.html` with page N, anything else (robots.txt included) with 404.
private final class PageHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let pages: PageTable
    private let delay: TimeAmount
    private var head: HTTPRequestHead?

    init(pages: PageTable, delay: TimeAmount) {
        self.pages = pages
        self.delay = delay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            if delay == .zero {
                respond(context: context, head: head)
            } else {
                let boundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
                let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: delay) { boundSelf.value.respond(context: boundContext.value, head: head) }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        var headers = HTTPHeaders()
        let status: HTTPResponseStatus
        let body: ByteBuffer
        if let index = pages.site.pageIndex(path: head.uri) {
            status = .ok
            body = pages.bodies[index]
            headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        } else {
            status = .notFound
            body = ByteBuffer(string: "not found\n")
            headers.add(name: "Content-Type", value: "text/plain")
        }
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !head.isKeepAlive {
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            done.whenComplete { _ in boundContext.value.close(promise: nil) }
        }
    }
}
