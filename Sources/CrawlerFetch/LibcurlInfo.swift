import CCurl

/// Facts about the libcurl the crawler runs on, for the bench's machine record.
public enum LibcurlInfo {
    /// libcurl's version string, e.g. `7.88.1`.
    public static var version: String {
        guard let info = ccurl_version_info(), let text = info.pointee.version else { return "unknown" }
        return String(cString: text)
    }
}
