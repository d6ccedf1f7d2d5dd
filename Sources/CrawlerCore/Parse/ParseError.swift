/// Why a page could not be parsed. Recorded with its page; the crawl goes on.
public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body is not HTML (by Content-Type or by sniffing); it is stored, not parsed.
    case notHTML(url: String, mediaType: String)
    /// The worker process died while parsing (after one retry on a fresh worker).
    case workerCrashed(url: String, reason: String)
    /// Parsing used more than `--parse-timeout` seconds of CPU time, or its worker stopped
    /// answering for far longer (after one retry on a fresh worker).
    case timeout(url: String, seconds: Double)
    /// The worker exceeded its memory limit.
    case memoryLimit(url: String, megabytes: Int)
    /// libxml2 could not make anything of the body.
    case unparseable(url: String, reason: String)
    /// A sitemap broke one of the protocol's limits (more than 50,000 URLs, more than 50 MB
    /// once inflated) or its XML is malformed: the entries read before that are kept.
    case sitemap(url: String, problem: String)

    /// A short stable name of the kind of failure, for statistics and the database.
    public var kind: String {
        switch self {
        case .notHTML: "not-html"
        case .workerCrashed: "worker-crashed"
        case .timeout: "parse-timeout"
        case .memoryLimit: "memory-limit"
        case .unparseable: "unparseable"
        case .sitemap: "sitemap"
        }
    }

    public var description: String {
        switch self {
        case .notHTML(let url, let mediaType): "\(url) is \(mediaType), not HTML; stored without links"
        case .workerCrashed(let url, let reason): "the parser worker crashed on \(url) twice (\(reason)); recorded as a parse failure"
        case .timeout(let url, let seconds): "parsing \(url) took more than --parse-timeout \(seconds) s of CPU time (or its worker stopped answering); recorded as a parse failure"
        case .memoryLimit(let url, let megabytes): "parsing \(url) exceeded the worker memory limit of \(megabytes) MB; recorded as a parse failure"
        case .unparseable(let url, let reason): "\(url) could not be parsed: \(reason)"
        case .sitemap(let url, let problem): "sitemap \(url): \(problem)"
        }
    }
}
