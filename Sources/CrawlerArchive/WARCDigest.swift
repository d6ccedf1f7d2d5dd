import Crypto

/// `WARC-Block-Digest` and `WARC-Payload-Digest` values: `sha1:` and the SHA-1 in base32
/// (RFC 4648, upper case), as wget, Heritrix and warcio write them.
public enum WARCDigest {
    /// `sha1:…` of `bytes`.
    public static func sha1<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var hasher = Insecure.SHA1()
        if let done: Void = bytes.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) {
            _ = done
        } else {
            hasher.update(data: Array(bytes))
        }
        return "sha1:" + base32(Array(hasher.finalize()))
    }

    /// RFC 4648 base32 with padding.
    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) }
        return String(decoding: output, as: UTF8.self)
    }
}
