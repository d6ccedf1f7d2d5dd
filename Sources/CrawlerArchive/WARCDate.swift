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

/// `WARC-Record-ID` values: a random (version 4) UUID as a URN in angle brackets.
public enum WARCRecordID {
    /// A new record ID.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        let groups = [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }
        return "<urn:uuid:\(groups.joined(separator: "-"))>"
    }
}
