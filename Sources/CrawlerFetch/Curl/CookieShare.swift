import CCurl
import CrawlerCore

/// The cookie jar of one fetch engine (`--cookies`, `--cookie-jar`): a libcurl share handle
/// that every transfer of the engine keeps its cookies in, so a cookie a server sets on one
/// transfer is sent by the next to that host, whichever thread carries it. libcurl matches
/// cookies to hosts, paths and expiry as a browser does.
///
/// `@unchecked Sendable`: the only stored property is the pointer, set once; the share it
/// points to is used from several threads through libcurl, which calls the share's lock and
/// unlock functions (one mutex per kind of data, `ccurl_cookie_share_create`) around every
/// use. It is freed in `deinit`, after every `CurlTransfer` holding it (each keeps a strong
/// reference, and its easy handle is cleaned up first).
final class CookieShare: @unchecked Sendable {
    private let share: UnsafeMutablePointer<ccurl_cookie_share>

    /// A jar holding the cookies of `jar` to start with.
    init(_ jar: CookieJar) {
        CurlGlobal.ensureInitialized()
        guard let share = ccurl_cookie_share_create() else { fatalError("cannot make a shared cookie jar: out of memory, or this libcurl was built without cookies") }
        self.share = share
        guard !jar.lines.isEmpty else { return }
        // A handle that only loads the file's cookies into the shared jar.
        guard let loader = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        defer { curl_easy_cleanup(loader) }
        precondition(ccurl_easy_use_cookie_share(loader, share) == CURLE_OK, "libcurl without cookie support")
        for line in jar.lines {
            // A line curl cannot use is skipped as curl itself skips it in a cookie file.
            _ = ccurl_easy_setopt_string(loader, CURLOPT_COOKIELIST, line)
        }
    }

    deinit {
        ccurl_cookie_share_free(share)
    }

    /// Makes `handle` send and keep cookies through this jar.
    func attach(_ handle: UnsafeMutableRawPointer) {
        precondition(ccurl_easy_use_cookie_share(handle, share) == CURLE_OK, "libcurl without cookie support")
    }
}
