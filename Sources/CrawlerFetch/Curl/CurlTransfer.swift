import CCurl
import CrawlerCore
import Glibc
import Synchronization

/// One curl easy handle and the state of the transfer it is carrying: the only type that
/// touches an easy handle. One transfer is one request: curl follows no redirect (a 3xx comes
/// back as it is; `PoliteFetcher` follows it hop by hop, after robots.txt and within the hop's
/// host gate). Reused across requests (`prepare` resets it), so the handle keeps its connection
/// cache (threads engine) or returns its connection to the multi's cache.
///
/// Not thread-safe: confined to one thread at a time (a pool worker, or the multi loop's
/// thread). Only `abortFlag` may be set from elsewhere.
final class CurlTransfer {
    /// The raw easy handle; never leaves this module.
    let handle: UnsafeMutableRawPointer
    private let options: FetchOptions

    // Per-request state, reset by `prepare`.
    private(set) var requestedURL: NormalizedURL?
    private var headers = ResponseHeaders()
    /// Whether the last header line ended a header block (or none has come yet): the next
    /// line then starts a new block (a 1xx response's, or the real one's).
    private var atBlockStart = true
    /// Whether the final response's header block has ended: what curl passes after it are
    /// trailers (after a chunked body), which are neither the response's headers nor archived.
    private var finalHeadersRead = false
    private var body: [UInt8] = []
    private var bodyLimit: BodyLimit
    private(set) var abortReason: TransferAbortReason?
    /// Set from another thread to stop the transfer at curl's next progress callback.
    private var abortFlag: AbortFlag?
    /// curl writes its error text here; must outlive the handle's use of it.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// `--header` lines, as libcurl keeps them for the handle's lifetime (freed in deinit).
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?
    /// The engine's cookie jar, if the crawl keeps cookies; released after the handle.
    private let cookies: CookieShare?
    /// The wire bytes of the request in flight, kept when the crawl archives (`captureExchanges`).
    private var capture: ExchangeCapture?

    init(options: FetchOptions, cookies: CookieShare? = nil) {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.handle = handle
        self.options = options
        self.cookies = cookies
        self.bodyLimit = .page(options)
        self.capture = options.captureExchanges ? ExchangeCapture() : nil
        configureOnce()
    }

    deinit {
        curl_easy_cleanup(handle)  // before `cookies` is released: the share outlives the handle
        curl_slist_free_all(requestHeaders)  // after the handle, which points at it
        errorBuffer.deallocate()
    }

    /// Options that stay the same for every request of this handle (curl keeps them across
    /// transfers; `curl_easy_reset` is never called so the connection cache survives).
    private func configureOnce() {
        setLong(CURLOPT_NOSIGNAL, 1)  // no SIGALRM for timeouts: we are multi-threaded
        // Redirects are followed by PoliteFetcher, hop by hop: inside curl, a hop would skip the
        // robots.txt and the politeness gate of its host.
        setLong(CURLOPT_FOLLOWLOCATION, 0)
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setString(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")  // should FOLLOWLOCATION ever return: never file://
        if capture == nil {
            setString(CURLOPT_ACCEPT_ENCODING, "")  // every encoding this libcurl can decode
        } else {
            // Archiving: the body as received is the body parsed (WARC keeps content encodings),
            // so ask for none, as wget does, and never let curl decode one a server sends anyway.
            setString(CURLOPT_ACCEPT_ENCODING, "identity")
            setLong(CURLOPT_HTTP_CONTENT_DECODING, 0)
            // The request's header block as sent reaches the debug callback (only with VERBOSE).
            setLong(CURLOPT_VERBOSE, 1)
            precondition(ccurl_easy_setopt_debug_callback(handle, curlDebug) == CURLE_OK)
        }
        setLong(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        setString(CURLOPT_USERAGENT, options.userAgent)
        for line in options.headers { requestHeaders = curl_slist_append(requestHeaders, line) }
        if let requestHeaders { precondition(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, requestHeaders) == CURLE_OK) }
        if let proxy = options.proxy { setString(CURLOPT_PROXY, proxy) }
        cookies?.attach(handle)
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeoutSeconds * 1000))
        setLong(CURLOPT_TIMEOUT_MS, Int(options.transferTimeoutSeconds * 1000))
        setLong(CURLOPT_TCP_KEEPALIVE, 1)
        // A pool thread visits many hosts; curl's default cache of 5 connections would close
        // and reopen them constantly. (In a multi, the multi's own cache is used instead.)
        setLong(CURLOPT_MAXCONNECTS, 32)
        setMaxFileSize(bodyLimit)
        ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody)
        ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        ccurl_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        ccurl_easy_setopt_xferinfo_callback(handle, curlProgress)
        ccurl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, me)
        setLong(CURLOPT_NOPROGRESS, 0)
        if capture != nil { ccurl_easy_setopt_pointer(handle, CURLOPT_DEBUGDATA, me) }
    }

    /// Readies the handle for a new request that reads at most `bodyLimit` (the page limit,
    /// `--max-bytes`, when nil).
    func prepare(_ url: NormalizedURL, abortFlag: AbortFlag? = nil, bodyLimit: BodyLimit? = nil) {
        let limit = bodyLimit ?? .page(options)
        if limit != self.bodyLimit {
            self.bodyLimit = limit
            setMaxFileSize(limit)
        }
        requestedURL = url
        headers = ResponseHeaders()
        atBlockStart = true
        finalHeadersRead = false
        body = []
        abortReason = nil
        if capture != nil { capture = ExchangeCapture(startedAt: WallClock.secondsSince1970()) }
        self.abortFlag = abortFlag
        errorBuffer[0] = 0
        setString(CURLOPT_URL, url.string)
    }

    /// Runs the prepared transfer on the calling thread (threads and sequential engines).
    func performBlocking() -> Result<FetchResponse, FetchError> {
        finish(curl_easy_perform(handle))
    }

    /// Builds the result once curl reports the transfer done, and drops the body buffer.
    func finish(_ code: CURLcode) -> Result<FetchResponse, FetchError> {
        guard let requestedURL else { preconditionFailure("finish without prepare") }
        defer {
            body = []
            abortFlag = nil
        }
        if abortReason == nil, abortFlag?.isSet == true { abortReason = .cancelled }
        // A body cut at a truncating limit stopped the transfer on purpose: what was read is the response.
        let cut = abortReason == .truncated && code == CURLE_WRITE_ERROR
        guard code == CURLE_OK && abortReason == nil || cut else {
            let message = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
            return .failure(
                .from(code: code, abortReason: abortReason, url: requestedURL, options: options, limit: bodyLimit.bytes, message: message))
        }
        // A response whose header block never ended (curl accepted it anyway): what curl stored.
        if !finalHeadersRead { headers = readHeaders() }
        // No redirect is followed, so the response is the requested URL's own (a 3xx as well):
        // no need to ask curl for the effective URL and normalize it again.
        var responseCode = 0
        ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        let timings = FetchTimings(
            dns: seconds(CURLINFO_NAMELOOKUP_TIME_T), connect: seconds(CURLINFO_CONNECT_TIME_T),
            tls: seconds(CURLINFO_APPCONNECT_TIME_T), firstByte: seconds(CURLINFO_STARTTRANSFER_TIME_T),
            total: seconds(CURLINFO_TOTAL_TIME_T))
        var response = FetchResponse(
            requestedURL: requestedURL, finalURL: requestedURL,
            status: responseCode, headers: headers, body: body, timings: timings)
        if let capture {
            var address: UnsafeMutablePointer<CChar>?
            ccurl_easy_getinfo_string(handle, CURLINFO_PRIMARY_IP, &address)
            let ip = address.map { String(cString: $0) }
            response.exchanges = [capture.exchange(url: requestedURL, ipAddress: ip?.isEmpty == false ? ip : nil, body: body, truncated: cut)]
        }
        return .success(response)
    }

    private func seconds(_ info: CURLINFO) -> Double {
        var micros: curl_off_t = 0
        ccurl_easy_getinfo_off(handle, info, &micros)
        return Double(micros) / 1_000_000
    }

    // MARK: Callbacks (called by curl on the thread running the transfer)

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if body.count + bytes.count > bodyLimit.bytes {
            switch bodyLimit.overflow {
            case .fail:
                abortReason = .tooLarge
            case .truncate:
                body.append(contentsOf: bytes.prefix(bodyLimit.bytes - body.count))
                abortReason = .truncated
            }
            return false
        }
        if body.isEmpty, let length = headers.contentLength, length > 0 {
            body.reserveCapacity(min(length, bodyLimit.bytes))
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// One header line (or the blank line ending a header block). curl parses the headers
    /// itself and keeps them per request; at the end of each block the crawler reads the four
    /// it uses (`readHeaders`). A 1xx response (103 Early Hints) comes before the real
    /// one in a block of its own, whose headers curl files under `CURLH_1XX`: asking for
    /// `CURLH_HEADER` only gets the real response's.
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        guard !finalHeadersRead else { return }  // a trailer
        if capture != nil {
            if atBlockStart { capture!.responseHeader.removeAll(keepingCapacity: true) }
            capture!.responseHeader.append(contentsOf: bytes)
        }
        atBlockStart = Self.isBlankLine(bytes)
        if atBlockStart { endOfHeaderBlock() }
    }

    /// A declared length over a failing limit needs no check here: curl refuses it itself
    /// (CURLOPT_MAXFILESIZE_LARGE, see `setMaxFileSize`).
    private func endOfHeaderBlock() {
        var code = 0
        ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        // An informational block (1xx), or a proxy's CONNECT answer (no code yet): the real one follows.
        guard code >= 200 else { return }
        headers = readHeaders()
        finalHeadersRead = true
    }

    /// The headers the crawler uses, from curl's store of the last request's response: one
    /// pass with `curl_easy_nextheader` (four `curl_easy_header` calls would walk the list
    /// twice each). A name sent twice keeps its first value, as `curl_easy_header` would;
    /// values come trimmed, folded lines joined.
    private func readHeaders() -> ResponseHeaders {
        var headers = ResponseHeaders()
        var previous: UnsafeMutablePointer<curl_header>?
        while let header = curl_easy_nextheader(handle, UInt32(CURLH_HEADER), -1, previous) {
            previous = header
            guard let name = header.pointee.name, let value = header.pointee.value else { continue }
            switch strlen(name) {
            case 8 where headers.location == nil && strcasecmp(name, "location") == 0:
                headers.location = String(cString: value)
            case 11 where headers.retryAfter == nil && strcasecmp(name, "retry-after") == 0:
                headers.retryAfter = String(cString: value)
            case 12 where headers.contentType == nil && strcasecmp(name, "content-type") == 0:
                headers.contentType = String(cString: value)
            case 14 where headers.contentLength == nil && strcasecmp(name, "content-length") == 0:
                headers.contentLength = Int(String(cString: value))
            default:
                break
            }
        }
        return headers
    }

    /// A header line that is only its line ending: the end of a header block.
    private static func isBlankLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 == 0x0D || $0 == 0x0A }
    }

    /// What curl's debug callback reports: the request's header block as sent.
    fileprivate func sentHeader(_ bytes: UnsafeRawBufferPointer) {
        guard capture != nil else { return }
        // A request retried on a fresh connection is sent again: keep the last.
        capture!.requestHeader = Array(bytes)
    }

    fileprivate func shouldAbort() -> Bool {
        if abortFlag?.isSet == true {
            abortReason = .cancelled
            return true
        }
        return false
    }

    // MARK: Typed setters

    /// A failing limit also lets curl refuse a `Content-Length` beyond it before any body byte
    /// (CURLE_FILESIZE_EXCEEDED); the write callback counts as well, for bodies sent without a
    /// length. A truncating limit sets none (0): the write callback cuts the body.
    private func setMaxFileSize(_ limit: BodyLimit) {
        let bytes = limit.overflow == .fail ? limit.bytes : 0
        let code = ccurl_easy_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(bytes))
        precondition(code == CURLE_OK, "curl_easy_setopt(CURLOPT_MAXFILESIZE_LARGE) failed: \(code.rawValue)")
    }

    private func setLong(_ option: CURLoption, _ value: Int) {
        let code = ccurl_easy_setopt_long(handle, option, value)
        precondition(code == CURLE_OK, "curl_easy_setopt(\(option.rawValue)) failed: \(code.rawValue)")
    }

    private func setString(_ option: CURLoption, _ value: String) {
        // curl copies string options (since 7.17), so a temporary C string is fine.
        let code = ccurl_easy_setopt_string(handle, option, value)
        precondition(code == CURLE_OK, "curl_easy_setopt(\(option.rawValue)) failed: \(code.rawValue)")
    }
}

/// A cancellation signal a task sets and the transfer's thread reads in curl's progress callback.
final class AbortFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    init() {}
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}

// C callbacks: plain functions (no captures) that find their CurlTransfer through userdata.

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return 0 }
    // Returning anything but `length` makes curl fail with CURLE_WRITE_ERROR.
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard let data else { return length }
    transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

private func curlDebug(_ handle: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ userdata: UnsafeMutableRawPointer?) -> Int32 {
    guard type == CURLINFO_HEADER_OUT, let userdata, let data, size > 0 else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.sentHeader(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

private func curlProgress(_ userdata: UnsafeMutableRawPointer?, _ dltotal: curl_off_t, _ dlnow: curl_off_t, _ ultotal: curl_off_t, _ ulnow: curl_off_t) -> Int32 {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.shouldAbort() ? 1 : 0
}
