/// Why a fetch failed. Every failure is recorded with its page and the crawl goes on.
/// `description` is what a person reads: what happened and what to do about it.
public enum FetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host name did not resolve.
    case dns(host: String)
    /// Nothing listens on the host and port.
    case connectionRefused(host: String)
    /// The connection broke before the response was complete.
    case connectionReset(url: String)
    /// Connecting or the whole transfer took longer than allowed.
    case timeout(url: String, seconds: Double)
    /// The body was larger than `--max-bytes`.
    case tooLarge(url: String, limit: Int)
    /// More redirects than `--max-redirects`, or a loop.
    case tooManyRedirects(url: String, limit: Int)
    /// A redirect or a link pointed at a scheme other than http and https.
    case protocolNotAllowed(url: String, scheme: String)
    /// A TLS handshake or certificate failure.
    case tls(url: String, message: String)
    /// robots.txt disallows the URL for our user agent.
    case disallowedByRobots(url: String)
    /// The URL's robots.txt could not be had (its fetch failed, or it answered 429 or a 5xx), so
    /// the URL was not requested: RFC 9309 §2.3.1.4 has a crawler stay off such a site for a while.
    indirect case robotsUnavailable(url: String, cause: RobotsFailure)
    /// The transfer was cancelled (the crawl is stopping).
    case cancelled(url: String)
    /// Any other transfer failure, with curl's code and message.
    case transfer(url: String, code: Int, message: String)

    /// A short stable name of the kind of failure, for statistics and the database.
    public var kind: String {
        switch self {
        case .dns: "dns"
        case .connectionRefused: "refused"
        case .connectionReset: "reset"
        case .timeout: "timeout"
        case .tooLarge: "too-large"
        case .tooManyRedirects: "too-many-redirects"
        case .protocolNotAllowed: "protocol-not-allowed"
        case .tls: "tls"
        case .disallowedByRobots: "robots"
        case .robotsUnavailable(_, .fetch(let error)) where error.isConnectionFailure:
            error.kind  // the host is down or unreachable: counted as such, like the pages it answers
        case .robotsUnavailable: "robots-unavailable"
        case .cancelled: "cancelled"
        case .transfer: "transfer"
        }
    }

    /// Whether a retry may succeed (connect errors, resets, other transfer failures). Timeouts
    /// are not: a server that stalled once usually stalls again, and each try costs `--timeout`.
    public var isTransient: Bool {
        switch self {
        case .connectionRefused, .connectionReset, .transfer: true
        default: false
        }
    }

    /// Whether the failure is the host's or the network's (no answer at all), not the URL's.
    var isConnectionFailure: Bool {
        switch self {
        case .dns, .connectionRefused, .connectionReset, .timeout, .tls, .transfer: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .dns(let host): "host \(host) does not resolve; check the URL or your DNS"
        case .connectionRefused(let host): "\(host) refused the connection; is the server up?"
        case .connectionReset(let url): "connection reset while fetching \(url)"
        case .timeout(let url, let seconds): "\(url) did not answer within \(Self.format(seconds)) s; raise --timeout to wait longer"
        case .tooLarge(let url, let limit): "page \(url) is larger than --max-bytes \(Self.formatBytes(limit)); skipped"
        case .tooManyRedirects(let url, let limit): "\(url) redirects more than \(limit) times or in a loop; skipped"
        case .protocolNotAllowed(let url, let scheme): "\(url) leads to a \(scheme): URL; only http and https are fetched"
        case .tls(let url, let message): "TLS failed for \(url): \(message)"
        case .disallowedByRobots(let url): "robots.txt disallows \(url); pass --ignore-robots to fetch it anyway"
        case .robotsUnavailable(let url, .fetch(let error)) where error.isConnectionFailure:
            "\(url) not fetched: its robots.txt could not be fetched: \(error)"
        case .robotsUnavailable(let url, let cause):
            "\(url) not fetched: \(cause); RFC 9309 has a crawler keep off a site whose robots.txt it cannot read "
                + "(tried again in a few minutes); pass --ignore-robots to fetch it anyway"
        case .cancelled(let url): "fetch of \(url) cancelled"
        case .transfer(let url, let code, let message): "fetching \(url) failed: \(message) (curl error \(code))"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    static func formatBytes(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }
}

/// Why a robots.txt could not be had (RFC 9309 §2.3.1.4: "unreachable").
public enum RobotsFailure: Sendable, Hashable, CustomStringConvertible {
    /// It answered 429 or a 5xx.
    case status(robotsURL: String, status: Int)
    /// Its fetch failed (after following its redirects).
    case fetch(FetchError)

    public var description: String {
        switch self {
        case .status(let robotsURL, let status): "\(robotsURL) answered HTTP \(status)"
        case .fetch(let error): "its robots.txt could not be fetched (\(error))"
        }
    }
}
