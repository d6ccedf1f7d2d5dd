import CCurl

/// `curl_global_init` must run once, before any thread uses libcurl (it is not thread-safe
/// on every build). Every engine calls `CurlGlobal.ensureInitialized()` in its initializer,
/// on the creating thread, before it starts its own threads.
enum CurlGlobal {
    /// A Swift global `let` is initialized once, lazily and thread-safely (swift_once).
    private static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    static func ensureInitialized() {
        precondition(initResult == CURLE_OK, "curl_global_init failed: \(initResult.rawValue)")
    }
}
