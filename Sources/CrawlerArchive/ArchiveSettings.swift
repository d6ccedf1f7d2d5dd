/// Where and how a crawl archives what it fetches (`--warc`, `--warc-max-size`).
public struct ArchiveSettings: Sendable, Hashable {
    /// A file (`NAME.warc.gz`) or a folder.
    public var path: String
    /// A new file starts past this many bytes.
    public var maxFileBytes: Int

    /// 1 GiB per file, as the issue and wget's common use have it.
    public static let defaultMaxFileBytes = 1 << 30

    /// Settings for an archive at `path`.
    public init(path: String, maxFileBytes: Int = ArchiveSettings.defaultMaxFileBytes) {
        self.path = path
        self.maxFileBytes = maxFileBytes
    }
}
