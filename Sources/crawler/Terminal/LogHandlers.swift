import Foundation
import Logging
import Synchronization

/// swift-log handlers for the CLI's messages on standard error: plain lines a person reads, or
/// JSON lines a log collector reads. Each logger is made with its handler (no global
/// bootstrap), so commands that print nothing set nothing up.
enum LogHandlers {
    /// A logger writing `level: message key=value …` lines.
    static func text(label: String) -> Logger {
        Logger(label: label) { _ in TextHandler() }
    }

    /// A logger writing one JSON object a line: time, level, message and the metadata.
    static func json(label: String) -> Logger {
        Logger(label: label) { label in JSONHandler(label: label) }
    }

    /// Writes whole lines to standard error, one writer at a time.
    static let standardError = Mutex(FileHandle.standardError)

    static func write(_ line: String) {
        standardError.withLock { $0.write(Data((line + "\n").utf8)) }
    }
}

/// Plain lines: `warning: message kind=timeout url=…`.
struct TextHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        LogHandlers.write("\(event.level): \(event.message)\(fields.isEmpty ? "" : " " + fields)")
    }
}

/// JSON lines: `{"time":"…","level":"info","label":"crawler","message":"progress","pages":120,…}`.
/// Numbers stay numbers; the metadata's keys are the record's.
struct JSONHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var record: [String: Any] = [
            "time": Date().formatted(.iso8601), "level": event.level.rawValue, "label": label,
            "message": event.message.description,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { record[key] = Self.json(value) }
        guard let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        LogHandlers.write(String(decoding: data, as: UTF8.self))
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible):
            if let number = convertible as? Int { return number }
            if let number = convertible as? Double, number.isFinite { return number }
            return convertible.description
        case .array(let values): return values.map(json)
        case .dictionary(let values): return values.mapValues(json)
        }
    }
}
