import ArgumentParser
import CrawlerCore
import Foundation

/// The fetch phase's flags, shared by `crawl`, `demo` and `bench`.
struct FetchArguments: ParsableArguments {
    @Option(name: .customLong("fetch"), help: "How fetches wait: sequential, threads or async.")
    var model: FetchModel = FetchOptions().model

    @Option(name: .customLong("fetch-concurrency"), help: "Transfers in flight at once.")
    var concurrency: Int = FetchOptions().concurrency

    @Option(name: .customLong("per-host"), help: "Requests in flight to one host at most.")
    var perHost: Int = FetchOptions().perHostConcurrency

    @Option(name: .customLong("delay"), help: "Milliseconds between two requests to one host at least (raised by Crawl-delay).")
    var delayMilliseconds: Int = Int(FetchOptions().perHostDelaySeconds * 1000)

    @Option(name: .customLong("connect-timeout"), help: "Seconds allowed to connect.")
    var connectTimeout: Double = FetchOptions().connectTimeoutSeconds

    @Option(name: .customLong("timeout"), help: "Seconds allowed for one request (each redirect hop is one).")
    var timeout: Double = FetchOptions().transferTimeoutSeconds

    @Option(name: .customLong("max-bytes"), help: "A body larger than this many bytes is aborted and recorded as too large.")
    var maxBytes: Int = FetchOptions().maxBodyBytes

    @Option(name: .customLong("max-redirects"), help: "Redirects followed before giving up.")
    var maxRedirects: Int = FetchOptions().maxRedirects

    @Option(name: .customLong("retries"), help: "Retries of a transient failure (connect error, reset, 5xx, 429).")
    var retries: Int = FetchOptions().retries

    @Option(name: .customLong("user-agent"), help: "The User-Agent header. On other people's sites, name yourself and a page about the crawl: \"Name/1.0 (+https://your.site/crawler)\".")
    var userAgent: String = FetchOptions().userAgent

    @Flag(name: .customLong("ignore-robots"), help: "Do not fetch or obey robots.txt.")
    var ignoreRobots = false

    @Option(name: .customLong("header"), help: ArgumentHelp("A request header, 'Name: value' (repeat the flag for several). Not stored with the crawl: give it again with --resume.", valueName: "header"))
    var headers: [String] = []

    @Option(name: .customLong("proxy"), help: ArgumentHelp("Send every request through this proxy (http://, https://, socks5://…; default: the http_proxy and https_proxy variables). Not stored with the crawl.", valueName: "url"))
    var proxy: String?

    @Flag(name: .customLong("cookies"), help: "Keep the cookies servers set and send them back, per host, as a browser does, for this crawl only. Not stored with the crawl.")
    var cookies = false

    @Option(name: .customLong("cookie-jar"), help: ArgumentHelp("Start with the cookies of this Netscape cookie file (as curl -c and browsers' cookies.txt exports write it); implies --cookies. Only read, never written; not stored with the crawl.", valueName: "file"))
    var cookieJarPath: String?

    func validate() throws {
        try FlagRange.check(concurrency, "--fetch-concurrency", in: 1...10_000)
        try FlagRange.check(perHost, "--per-host", in: 1...1_000)
        try FlagRange.check(delayMilliseconds, "--delay", in: 0...3_600_000, unit: "milliseconds")
        try FlagRange.check(connectTimeout, "--connect-timeout", in: 0.001...FlagRange.maximumSeconds)
        try FlagRange.check(timeout, "--timeout", in: 0.001...FlagRange.maximumSeconds)
        try FlagRange.check(maxBytes, "--max-bytes", in: 1...(1 << 40), unit: "bytes")
        try FlagRange.check(maxRedirects, "--max-redirects", in: 0...100)
        try FlagRange.check(retries, "--retries", in: 0...100)
        // A CR or LF would end the header and start another one of the user's choosing.
        if let bad = userAgent.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ValidationError("--user-agent must be one line of printable text; it holds the control character U+\(String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4))")
        }
        guard userAgent.utf8.count <= 1024 else { throw ValidationError("--user-agent must be at most 1024 bytes; got \(userAgent.utf8.count)") }
        for header in headers { try Self.checkHeader(header) }
        if let proxy {
            guard !proxy.isEmpty, proxy.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
                throw ValidationError("--proxy must be one URL without spaces or control characters, e.g. http://127.0.0.1:3128")
            }
        }
        // Only checked here: the file is read once, by `options`, so a FIFO or `<(cmd)` is
        // not used up before the crawl reads it.
        if let cookieJarPath, !FileManager.default.isReadableFile(atPath: cookieJarPath) {
            throw ValidationError("--cookie-jar \(cookieJarPath) does not exist or cannot be read; pass a Netscape cookie file, as curl -c or a browser's cookies.txt export writes")
        }
    }

    /// The jar `--cookies` and `--cookie-jar` ask for: nil without either. Reads the file.
    private func cookieJar() throws -> CookieJar? {
        guard let cookieJarPath else { return cookies ? CookieJar() : nil }
        // Read as a stream (not String(contentsOfFile:), which refuses a pipe such as
        // /dev/stdin or `<(cmd)`).
        let contents: String
        do {
            guard let handle = FileHandle(forReadingAtPath: cookieJarPath) else { throw CocoaError(.fileReadNoPermission) }
            defer { try? handle.close() }
            contents = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        } catch {
            throw ValidationError("--cookie-jar \(cookieJarPath) cannot be read (\(error.localizedDescription)); pass a Netscape cookie file, as curl -c or a browser's cookies.txt export writes")
        }
        do {
            return try CookieJar(netscapeFile: contents, path: cookieJarPath)
        } catch {
            throw ValidationError("--cookie-jar: \(error)")
        }
    }

    /// The options these flags describe; reads the cookie file, so get them once.
    var options: FetchOptions {
        get throws {
            var options = optionsWithoutCookies
            options.cookieJar = try cookieJar()
            return options
        }
    }

    /// The options these flags describe but the cookies, which take reading a file.
    private var optionsWithoutCookies: FetchOptions {
        var options = FetchOptions()
        options.model = model
        options.concurrency = concurrency
        options.perHostConcurrency = perHost
        options.perHostDelaySeconds = Double(delayMilliseconds) / 1000
        options.connectTimeoutSeconds = connectTimeout
        options.transferTimeoutSeconds = timeout
        options.maxBodyBytes = maxBytes
        options.maxRedirects = maxRedirects
        options.retries = retries
        options.userAgent = userAgent
        options.ignoreRobots = ignoreRobots
        options.headers = headers
        options.proxy = proxy
        return options
    }
}

extension String {
    /// The string with zeros in front up to `width` characters (for U+000A).
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}

extension FetchArguments {
    /// A `--header` must be one `Name: value` line: a name of RFC 9110 token characters, and a
    /// value without CR, LF or other control characters (they would end the header and start
    /// another one of the user's choosing).
    static func checkHeader(_ header: String) throws {
        guard let colon = header.firstIndex(of: ":") else {
            throw ValidationError("--header \(header) is not of the form 'Name: value'")
        }
        let name = header[..<colon]
        let token = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(token.contains) else {
            throw ValidationError("--header \(header): '\(name)' is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)")
        }
        if header.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            throw ValidationError("--header must be one line of text; '\(name)' holds a control character (CR or LF would start another header)")
        }
    }
}
