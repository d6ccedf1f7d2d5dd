import CCurl
import CrawlerCore
import Foundation

/// When to retry a fetch and how long to wait: exponential back-off with full jitter
/// (a random wait in [0, base · 2^attempt], capped), and Retry-After honoured but capped.
struct RetryPolicy: Sendable {
    /// The first retry waits up to this long.
    var baseDelay: Duration = .milliseconds(250)
    /// No single jittered wait is longer.
    var maxDelay: Duration = .seconds(10)
    /// A Retry-After longer than this is cut to it, so one host cannot stall a crawl for hours.
    var maxRetryAfter: Duration = .seconds(120)

    /// Whether a result is worth another attempt: connect errors, resets, 5xx and 429.
    /// Timeouts are not retried: a server that stalled once usually stalls again, and each
    /// attempt would cost the whole `--timeout`.
    static func isTransient(_ result: Result<FetchResponse, FetchError>) -> Bool {
        switch result {
        case .success(let response): response.status == 429 || (500...599).contains(response.status)
        case .failure(let error): error.isTransient
        }
    }

    /// Whether a response asks the host to be left alone for a while (429, 503).
    static func asksToBackOff(_ response: FetchResponse) -> Bool {
        response.status == 429 || response.status == 503
    }

    /// A jittered wait before retry number `attempt + 1` (attempt counts from 0).
    func backoff(attempt: Int) -> Duration {
        let ceiling = min(maxDelay, baseDelay * (1 << min(attempt, 20)))
        let seconds = Double(ceiling.components.seconds) + Double(ceiling.components.attoseconds) / 1e18
        return .seconds(Double.random(in: 0...seconds))
    }

    /// The wait a Retry-After header asks for, capped; nil when absent or unparseable.
    func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingASCIIWhitespace(), !value.isEmpty else { return nil }
        if let seconds = Int(value) {
            return min(.seconds(max(0, seconds)), maxRetryAfter)
        }
        guard let date = Self.parseHTTPDate(value) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return min(.seconds(seconds), maxRetryAfter)
    }

    /// HTTP dates in the three forms RFC 9110 §5.6.7 requires recipients to accept (IMF-fixdate,
    /// RFC 850, asctime), parsed by libcurl's own `curl_getdate` (no formatter per call).
    static func parseHTTPDate(_ text: String) -> Date? {
        let seconds = curl_getdate(text, nil)
        return seconds == -1 ? nil : Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
