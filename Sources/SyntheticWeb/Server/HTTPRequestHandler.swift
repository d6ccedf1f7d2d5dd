import CrawlerCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves one connection to one synthetic host (known from the connection's local address).
/// Lives on its channel's event loop; delays are event-loop timers, never sleeping threads.
final class HTTPRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let host: Int
    private let authority: String
    private let planner: ResponsePlanner
    private let stats: RequestStatsRecorder
    private let latencyMs: Int
    private let jitterMs: Int
    private var jitter: SplitMix64
    private var request: HTTPRequestHead?
    private var requestInFlight = false

    init(host: Int, planner: ResponsePlanner, stats: RequestStatsRecorder, connectionNumber: Int) {
        self.host = host
        self.planner = planner
        self.stats = stats
        authority = planner.model.layout.authority(host)
        latencyMs = planner.model.config.latencyMs
        jitterMs = planner.model.config.jitterMs
        jitter = SplitMix64(seed: planner.model.config.seed, stream: .jitter, index: connectionNumber)
    }

    func channelActive(context: ChannelHandlerContext) {
        stats.connectionOpened(authority)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if requestInFlight {
            requestInFlight = false
            stats.requestFinished(authority)
        }
        stats.connectionClosed(authority)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let origin = planner.model.layout.origin(host)
        let url = head.uri.hasPrefix("/") ? NormalizedURL(origin + head.uri) : NormalizedURL(head.uri)
        requestInFlight = true
        stats.requestStarted(authority, path: url?.pathAndQuery ?? head.uri, headers: head.headers.map { ($0.name.lowercased(), $0.value) })
        let plan: PlannedResponse
        if head.method != .GET && head.method != .HEAD {
            plan = ResponsePlanner.clientError(405, "only GET and HEAD are served")
        } else if let hostHeader = head.headers.first(name: "host"), !hostMatches(hostHeader) {
            plan = ResponsePlanner.clientError(400, "Host \(hostHeader) does not match the address this connection reached (\(authority))")
        } else if let url, url.origin == origin {
            plan = planner.plan(for: url)
        } else {
            plan = ResponsePlanner.clientError(400, "cannot parse the request target \(head.uri)")
        }
        var delayMs = latencyMs
        if jitterMs > 0 { delayMs += jitter.int(in: 0...jitterMs) }
        let delay = TimeAmount.milliseconds(Int64(delayMs)) + TimeAmount.nanoseconds(Int64(plan.stallSeconds * 1e9))
        let keepAlive = head.isKeepAlive
        let isHead = head.method == .HEAD
        if delay > .zero {
            context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                self.send(plan, version: head.version, keepAlive: keepAlive, headOnly: isHead, context: context)
            }
        } else {
            send(plan, version: head.version, keepAlive: keepAlive, headOnly: isHead, context: context)
        }
    }

    private func hostMatches(_ value: String) -> Bool {
        let lowered = value.lowercased()
        let layout = planner.model.layout
        return lowered == layout.authority(host) || lowered == "\(HostLayout.address(host)):\(layout.port)"
            || (layout.port == 80 && lowered == HostLayout.address(host))
    }

    private func send(_ plan: PlannedResponse, version: HTTPVersion, keepAlive: Bool, headOnly: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: "SyntheticWeb")
        if let contentType = plan.contentType { headers.add(name: "Content-Type", value: contentType) }
        headers.add(name: "Content-Length", value: String(plan.contentLength))
        for (name, value) in plan.extraHeaders { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .init(statusCode: plan.status), headers: headers))), promise: nil)

        if plan.resetMidBody, !headOnly {
            let half = plan.body.getSlice(at: plan.body.readerIndex, length: plan.body.readableBytes / 2) ?? plan.body
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(half))), promise: written)
            let channel = context.channel
            written.futureResult.assumeIsolated().whenComplete { _ in
                // SO_LINGER 0 makes close() send RST: the client sees a reset, not a clean end.
                let linger = (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                    ?? channel.eventLoop.makeSucceededVoidFuture()
                linger.whenComplete { _ in channel.close(promise: nil) }
            }
            return
        }
        if !headOnly {
            for _ in 0..<plan.bodyRepeats { context.write(wrapOutboundOut(.body(.byteBuffer(plan.body))), promise: nil) }
        }
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        done.futureResult.assumeIsolated().whenComplete { _ in
            if self.requestInFlight {
                self.requestInFlight = false
                self.stats.requestFinished(self.authority)
            }
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
