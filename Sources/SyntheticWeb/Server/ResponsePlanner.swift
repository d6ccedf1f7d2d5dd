import CrawlerCore
import NIOConcurrencyHelpers
import NIOCore

/// Decides the response to each request from the model: pages, robots.txt, sitemaps, 404s and
/// the fault host's misbehaviour (whose per-path request counters live here).
final class ResponsePlanner: Sendable {
    let model: SiteModel
    /// Requests seen per fault path, for "first fails, next works" pages.
    private let faultCounters = NIOLockedValueBox([String: Int]())

    private static let hugeChunk = ByteBuffer(bytes: FaultHost.hugeChunk)
    private static let notFound = ByteBuffer(bytes: FaultHost.notFoundBody)

    init(model: SiteModel) { self.model = model }

    /// Starts the "first fails" counters again.
    func resetFaultCounters() { faultCounters.withLockedValue { $0.removeAll() } }

    /// The response for a GET or HEAD of `url` on served host `host`.
    func plan(for url: NormalizedURL) -> PlannedResponse {
        switch model.resource(for: url) {
        case .content(let index)?:
            // A cookie naming the host, as a site's session cookie would: a crawler that keeps
            // cookies sends it back to this host, and to no other.
            var response = PlannedResponse(status: 200, contentType: SiteModel.htmlUTF8, body: model.contentBody(index))
            response.extraHeaders = [("Set-Cookie", "\(Self.cookieName)=\(url.host); Path=/")]
            return response
        case .robots(let host)?:
            return PlannedResponse(status: 200, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: model.robotsText(host: host)))
        case .sitemap(let host)?:
            return PlannedResponse(status: 200, contentType: "application/xml", body: ByteBuffer(string: model.sitemapXML(host: host)))
        case .stylesheet?:
            return PlannedResponse(status: 200, contentType: "text/css", body: ByteBuffer(string: SiteModel.stylesheet))
        case .fault(let fault)?:
            if let faults = model.faults { return plan(fault, faults: faults, counterKey: url.pathAndQuery) }
            return Self.notFoundResponse
        case .sitemapHost(let resource)?:
            guard let host = model.sitemapHost else { return Self.notFoundResponse }
            return PlannedResponse(status: 200, contentType: host.contentType(resource), body: ByteBuffer(bytes: host.body(resource)))
        case .notFound?, nil:
            return Self.notFoundResponse
        }
    }

    /// The name of the cookie every content page sets (its value is the page's host).
    static let cookieName = "synthetic-host"

    static var notFoundResponse: PlannedResponse {
        PlannedResponse(status: 404, contentType: SiteModel.htmlUTF8, body: notFound)
    }

    /// A 400 or 405 with a plain-text explanation.
    static func clientError(_ status: Int, _ message: String) -> PlannedResponse {
        PlannedResponse(status: status, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: message + "\n"))
    }

    private func plan(_ fault: FaultResource, faults: FaultHost, counterKey: String) -> PlannedResponse {
        if let redirect = faults.redirect(fault) {
            var response = PlannedResponse(
                status: redirect.status, contentType: SiteModel.htmlUTF8,
                body: ByteBuffer(bytes: FaultHost.simplePage(title: "Moved", text: "Moved to \(redirect.location).", links: [])))
            response.extraHeaders = [("Location", redirect.location)]
            return response
        }
        let body = ByteBuffer(bytes: faults.fixedBody(fault, model: model) ?? [])
        var response = PlannedResponse(status: 200, contentType: faults.contentType(fault), body: body)
        switch fault {
        case .flaky, .rateLimited:
            let count = faultCounters.withLockedValue { counters in
                counters[counterKey, default: 0] += 1
                return counters[counterKey]!
            }
            if count % 2 == 1 {
                let status = fault == .flaky ? 500 : 429
                response = PlannedResponse(status: status, contentType: SiteModel.htmlUTF8, body: ByteBuffer(bytes: FaultHost.errorBody(status: status)))
                if status == 429 { response.extraHeaders = [("Retry-After", "1")] }
            }
        case .slow:
            response.stallSeconds = model.config.slowResponseSeconds
        case .huge:
            response.body = Self.hugeChunk
            response.bodyRepeats = FaultResource.hugeChunks
        case .reset:
            response.resetMidBody = true
        default:
            break
        }
        return response
    }
}
