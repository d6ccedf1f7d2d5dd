import Glibc

/// `WARC-Date` values: UTC, ISO 8601, to the second (`2026-12-05T17:04:05Z`, WARC 1.1 §5.4).
public enum WARCDate {
    /// The date of `seconds` since 1970-01-01 UTC.
    public static func string(_ seconds: Double) -> String {
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
