import ArgumentParser
import CrawlerArchive

/// `--warc` and `--warc-max-size`: where a crawl archives what it fetched.
struct ArchiveArguments: ParsableArguments {
    @Option(name: .customLong("warc"), help: ArgumentHelp(
        "Archive every request and response as WARC 1.1, one gzip member per record: to this file (NAME.warc.gz, then NAME-00001.warc.gz, … past --warc-max-size) or, for a folder (an existing one, or a path ending in /), to crawl-00000.warc.gz, … in it. With --resume, the same path appends.",
        valueName: "path"))
    var warc: String?

    @Option(name: .customLong("warc-max-size"), help: ArgumentHelp("Start a new WARC file past this size: bytes, or with a K, M or G suffix.", valueName: "size"))
    var warcMaxSize: String = Self.defaultMaxSize

    /// `--warc-max-size`'s default.
    static let defaultMaxSize = "1G"

    /// The flags a `--resume` needs to keep archiving as this run did ("" without `--warc`).
    var resumeFlags: String {
        guard let warc else { return "" }
        return " --warc \(warc)" + (warcMaxSize == Self.defaultMaxSize ? "" : " --warc-max-size \(warcMaxSize)")
    }

    func validate() throws {
        if let warc, warc.isEmpty { throw ValidationError("--warc needs a file or folder path") }
        if parseByteCount(warcMaxSize) == nil { throw ValidationError("--warc-max-size must be a positive size such as 1073741824, 500M or 1G, not '\(warcMaxSize)'") }
    }

    /// The archive these flags ask for, or nil.
    var settings: ArchiveSettings? {
        guard let warc, let bytes = parseByteCount(warcMaxSize) else { return nil }
        return ArchiveSettings(path: warc, maxFileBytes: bytes)
    }
}

/// A size with an optional K, M or G suffix (powers of 1024), positive.
func parseByteCount(_ text: String) -> Int? {
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
    var digits = Substring(text.uppercased())
    var unit = 1
    if let last = digits.last, let multiplier = units[last] {
        unit = multiplier
        digits = digits.dropLast()
    }
    guard let value = Int(digits), value > 0, value <= (1 << 50) / unit else { return nil }
    return value * unit
}
