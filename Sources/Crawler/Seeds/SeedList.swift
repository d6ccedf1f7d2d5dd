import CrawlerCore
import Foundation

/// Seeds read from the command line: each argument is a seed-list file (one URL a line,
/// `#` comments, blank lines) or a URL. Invalid lines are reported with their line number and
/// skipped; the rest is crawled.
public struct SeedList: Sendable {
    /// The valid seeds, in order, without duplicates.
    public var urls: [NormalizedURL]
    /// One entry per line that was not a valid URL.
    public var problems: [SeedProblem]

    /// Reads every argument. Throws `SeedListError` for a file that cannot be read, or when no
    /// valid seed remains.
    public init(arguments: [String]) throws {
        var urls: [NormalizedURL] = []
        var seen = Set<NormalizedURL>()
        var problems: [SeedProblem] = []
        func add(_ text: String, source: String, line: Int?) {
            switch NormalizedURL.normalize(text, relativeTo: nil) {
            case .success(let url):
                if seen.insert(url).inserted { urls.append(url) }
            case .failure(let rejection):
                problems.append(SeedProblem(source: source, line: line, text: text, reason: rejection.description))
            }
        }
        for argument in arguments {
            if argument.contains("://") {
                add(argument, source: "command line", line: nil)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw SeedListError.missingFile(argument)
            }
            guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: argument) else {
                throw SeedListError.unreadableFile(argument)
            }
            let text = String(decoding: data, as: UTF8.self)
            for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = (rawLine.firstIndex(of: "#").map { rawLine[..<$0] } ?? rawLine).trimmingASCIIWhitespace()
                if !line.isEmpty { add(line, source: argument, line: index + 1) }
            }
        }
        guard !urls.isEmpty else { throw SeedListError.noSeeds(arguments: arguments, problems: problems.count) }
        self.urls = urls
        self.problems = problems
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

    public var description: String {
        switch self {
        case .missingFile(let path): "seed list \(path) does not exist; give a file of URLs (one a line) or a URL starting with http:// or https://"
        case .unreadableFile(let path): "seed list \(path) cannot be read; check that it is a file and its permissions"
        case .noSeeds(let arguments, let problems):
            "no valid seed URL in \(arguments.joined(separator: " "))\(problems > 0 ? " (\(problems) invalid lines)" : ""); seeds must be http:// or https:// URLs"
        }
    }
}
