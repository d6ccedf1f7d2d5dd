import CrawlerCore
import Foundation

/// Seeds read from the command line: each argument is a seed-list file (one URL a line,
/// `#` comments, blank lines; LF or CRLF line ends; an optional UTF-8 byte-order mark), `-`
/// for such a list on standard input, or a URL. Invalid lines are reported with their line
/// number and skipped; the rest is crawled. A URL with a user name or password in it is
/// refused outright: the crawler would store it in the database and every export.
public struct SeedList: Sendable {
    /// The valid seeds, in order, without duplicates.
    public var urls: [NormalizedURL]
    /// One entry per line that was not a valid URL.
    public var problems: [SeedProblem]

    /// Reads every argument. Throws `SeedListError` for a file that cannot be read, a seed with
    /// credentials, or when no valid seed remains. `standardInput` is read (once) for `-`.
    public init(arguments: [String], standardInput: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }) throws {
        var urls: [NormalizedURL] = []
        var seen = Set<NormalizedURL>()
        var problems: [SeedProblem] = []
        var readStandardInput = false
        func add(_ text: String, source: String, line: Int?) throws {
            switch NormalizedURL.normalize(text, relativeTo: nil) {
            case .success(let url):
                if let redacted = Self.redactingCredentials(url) {
                    throw SeedListError.credentials(place: line.map { "\(source):\($0)" } ?? source, redactedURL: redacted)
                }
                if seen.insert(url).inserted { urls.append(url) }
            case .failure(let rejection):
                problems.append(SeedProblem(source: source, line: line, text: text, reason: rejection.description))
            }
        }
        for argument in arguments {
            if argument.contains("://") {
                try add(argument, source: "command line", line: nil)
                continue
            }
            let data: Data
            let source: String
            if argument == "-" {
                if readStandardInput { continue }
                readStandardInput = true
                (data, source) = (standardInput(), "standard input")
            } else {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                    throw SeedListError.missingFile(argument)
                }
                guard !isDirectory.boolValue, let contents = FileManager.default.contents(atPath: argument) else {
                    throw SeedListError.unreadableFile(argument)
                }
                (data, source) = (contents, argument)
            }
            for (index, rawLine) in Self.lines(of: data).enumerated() {
                let line = (rawLine.firstIndex(of: "#").map { rawLine[..<$0] } ?? rawLine[...]).trimmingASCIIWhitespace()
                if !line.isEmpty { try add(line, source: source, line: index + 1) }
            }
        }
        guard !urls.isEmpty else { throw SeedListError.noSeeds(arguments: arguments, problems: problems.count) }
        self.urls = urls
        self.problems = problems
    }

    /// The lines of a seed list, split on LF bytes, each without a CR before its LF, the first
    /// without a UTF-8 byte-order mark. Split as bytes: Swift reads "\r\n" as one Character,
    /// so splitting a String on "\n" would leave a CRLF file as one line.
    static func lines(of data: Data) -> [String] {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
    }

    /// The URL with its user name and password shown as `***`, when it has any; nil otherwise.
    static func redactingCredentials(_ url: NormalizedURL) -> String? {
        let string = url.string
        guard let schemeEnd = string.range(of: "://") else { return nil }
        // In normal form the path always starts with "/", and "@" cannot occur in a host.
        let authorityEnd = string[schemeEnd.upperBound...].firstIndex(of: "/") ?? string.endIndex
        guard let at = string[schemeEnd.upperBound..<authorityEnd].lastIndex(of: "@") else { return nil }
        return String(string[..<schemeEnd.upperBound]) + "***" + String(string[at...])
    }
}

/// A seed-list line that is not a URL the crawler can fetch.
public struct SeedProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file, or "command line".
    public var source: String
    /// 1-based line number in the file.
    public var line: Int?
    /// The text as written.
    public var text: String
    /// Why it was skipped.
    public var reason: String

    public var description: String {
        let place = line.map { "\(source):\($0)" } ?? source
        return "\(place): skipped \(text): \(reason)"
    }
}

/// Seeds that cannot be used at all.
public enum SeedListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No file at this path.
    case missingFile(String)
    /// A directory or a file without read permission.
    case unreadableFile(String)
    /// Nothing valid to crawl.
    case noSeeds(arguments: [String], problems: Int)
    /// A seed URL with a user name or password (`http://user:pass@host/`), shown redacted.
    case credentials(place: String, redactedURL: String)

    public var description: String {
        switch self {
        case .missingFile(let path): "seed list \(path) does not exist; give a file of URLs (one a line) or a URL starting with http:// or https://"
        case .unreadableFile(let path): "seed list \(path) cannot be read; check that it is a file and its permissions"
        case .credentials(let place, let redactedURL):
            "seed \(redactedURL) (\(place)) holds a user name or password; the crawler stores every URL in the database and its exports "
                + "and never sends credentials, so it refuses such seeds: remove the user:password@ part"
        case .noSeeds(let arguments, let problems):
            "no valid seed URL in \(arguments.joined(separator: " "))\(problems > 0 ? " (\(problems) invalid lines)" : ""); seeds must be http:// or https:// URLs"
        }
    }
}
