import CCurl
import CrawlerCore

/// Why our own callbacks stopped a transfer; curl then reports a write error or an abort,
/// which alone would not say what happened.
enum TransferAbortReason: Sendable, Equatable {
    /// The body (announced or received) exceeded `maxBodyBytes`.
    case tooLarge
    /// The task that awaited the transfer was cancelled.
    case cancelled
    /// The body reached a truncating `BodyLimit`: the response is what was read.
    case truncated
}

extension FetchError {
    /// Maps a finished transfer's curl code to a `FetchError`. `abortReason` wins over the code
    /// because curl only knows "a callback said stop". `limit` is the request's body limit.
    static func from(
        code: CURLcode, abortReason: TransferAbortReason?, url: NormalizedURL, options: FetchOptions, limit: Int, message: String
    ) -> FetchError {
        switch abortReason {
        case .tooLarge: return .tooLarge(url: url.string, limit: limit)
        case .cancelled: return .cancelled(url: url.string)
        case .truncated, nil: break
        }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            return .dns(host: url.host)
        case CURLE_COULDNT_CONNECT:
            return .connectionRefused(host: url.authority)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionReset(url: url.string)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(url: url.string, seconds: options.transferTimeoutSeconds)
        case CURLE_FILESIZE_EXCEEDED:
            return .tooLarge(url: url.string, limit: limit)
        case CURLE_UNSUPPORTED_PROTOCOL:
            // NormalizedURL admits http and https alone and curl follows no redirect, so only a
            // libcurl built without one of them gets here; the message names the scheme.
            return .protocolNotAllowed(url: url.string, scheme: Self.scheme(in: message))
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_USE_SSL_FAILED:
            return .tls(url: url.string, message: message)
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled(url: url.string)
        default:
            return .transfer(url: url.string, code: Int(code.rawValue), message: message)
        }
    }

    /// curl says `Protocol "ftp" not supported or disabled in libcurl`: pull the scheme out.
    private static func scheme(in message: String) -> String {
        let parts = message.split(separator: "\"")
        return parts.count >= 2 ? String(parts[1]) : "unknown"
    }
}
