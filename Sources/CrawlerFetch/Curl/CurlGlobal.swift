import CCurl

/// `curl_global_init` must run once, before any thread uses libcurl (it is not thread-safe
/// on every build). Every engine calls `CurlGlobal.ensureInitialized()` in its initializer,
/// on the creating thread, before it starts its own threads.
enum CurlGlobal {
    /// A Swift global `let` is initialized once, lazily and thread-safely (swift_once).
    private static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Whether this libcurl has the headers API (`curl_easy_header`, 7.83+), which
    /// `CurlTransfer` reads every response's headers through: a build without it
    /// (CURL_DISABLE_HEADERS_API) would lose Content-Type, Location and the rest silently.
    private static let hasHeadersAPI: Bool = {
        guard let handle = curl_easy_init() else { return false }
        defer { curl_easy_cleanup(handle) }
        var header: UnsafeMutablePointer<curl_header>?
        return curl_easy_header(handle, "Content-Type", 0, UInt32(CURLH_HEADER), -1, &header) != CURLHE_NOT_BUILT_IN
    }()

    static func ensureInitialized() {
        precondition(initResult == CURLE_OK, "curl_global_init failed: \(initResult.rawValue)")
        precondition(hasHeadersAPI, "this libcurl was built without its headers API (curl_easy_header); install a libcurl of 7.83 or later built with it, such as Debian's libcurl4-openssl-dev")
    }
}
