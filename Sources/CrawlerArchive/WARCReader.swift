import CompressNIO
import CrawlerCore
import CrawlerSystem
import Glibc
import NIOCore

/// Reads the records of one WARC file, compressed (a gzip member per record, or several) or
/// not, streaming: a file of any size is read in 1 MB pieces.
///
/// A record cut short (a crawl killed while writing it, a truncated download) ends the reading
/// with `WARCError.truncated`, after every whole record before it; `validLength` then says
/// where the last whole record ends in the file.
public final class WARCReader {
    private let descriptor: Int32
    private let path: String
    private var input: ByteBuffer
    private var output: ByteBuffer
    private var decompressor: ZlibDecompressor?
    private var endOfFile = false
    /// Bytes of the file read so far.
    private var fileOffset = 0
    /// Whether the current gzip member has ended.
    private var memberEnded = true
    /// Where, in the file, the last whole record (and its gzip member) ends.
    public private(set) var validLength = 0
    /// Where the gzip member being inflated starts in the file, and how many records it gave so far.
    private var memberStart = 0
    private var recordsFromMember = 0
    /// Where the record `next()` returned last can be read again: `WARCReader(path:at:)`.
    public private(set) var lastRecordLocation = WARCLocation(offset: 0, skip: 0)

    /// Opens `path`, at the start or at a record's `location` (from `lastRecordLocation`).
    public init(path: String, at location: WARCLocation? = nil) throws {
        do {
            descriptor = try Posix.open(path, flags: O_RDONLY | O_CLOEXEC)
        } catch {
            throw WARCError.cannotOpen(path: path, cause: error)
        }
        self.path = path
        if let location, location.offset > 0 {
            guard lseek(descriptor, off_t(location.offset), SEEK_SET) == off_t(location.offset) else {
                Glibc.close(descriptor)
                throw WARCError.cannotOpen(path: path, cause: SystemCallError(call: "lseek", errno: errno))
            }
            fileOffset = location.offset
            validLength = location.offset
            memberStart = location.offset
        }
        input = ByteBufferAllocator().buffer(capacity: 1 << 20)
        output = ByteBufferAllocator().buffer(capacity: 1 << 20)
        try fill()
        if input.readableBytes >= 2, input.getInteger(at: input.readerIndex, as: UInt16.self) == 0x1F8B {
            decompressor = try ZlibDecompressor(algorithm: .gzip)
        }
        if let location { for _ in 0..<location.skip { _ = try next() } }
    }

    deinit { close(descriptor) }

    /// The next record, or nil at the end of the file.
    public func next() throws -> WARCRecord? {
        let location = nextRecordLocation()
        while true {
            if let record = try parseRecord() {
                lastRecordLocation = location
                recordsFromMember += 1
                if decompressor == nil {
                    validLength = fileOffset - input.readableBytes - output.readableBytes
                } else if memberEnded {
                    validLength = fileOffset - input.readableBytes
                }
                return record
            }
            // Not a whole record in `output`: more bytes are needed.
            if decompressor != nil {
                if !(try inflateSome()) { return try endOfInput() }
            } else {
                if input.readableBytes == 0, !(try fill()) { return try endOfInput() }
                output.writeBuffer(&input)
            }
        }
    }

    /// Where the record about to be read starts: in the member being inflated when its output
    /// holds more than blank lines (after `recordsFromMember` records), else at the next member.
    private func nextRecordLocation() -> WARCLocation {
        guard decompressor != nil else {
            return WARCLocation(offset: fileOffset - input.readableBytes - output.readableBytes, skip: 0)
        }
        let pending = output.readableBytesView.contains { $0 != 13 && $0 != 10 }
        if !pending, memberEnded { return WARCLocation(offset: fileOffset - input.readableBytes, skip: 0) }
        return WARCLocation(offset: memberStart, skip: recordsFromMember)
    }

    private func endOfInput() throws -> WARCRecord? {
        let leftover = output.readableBytes
        if leftover == 0 || output.readableBytesView.allSatisfy({ $0 == 13 || $0 == 10 }) {
            if decompressor == nil || memberEnded { return nil }
        }
        throw WARCError.truncated(path: path, validLength: validLength)
    }

    /// Decompresses more of the file into `output`; false at the end of the file.
    private func inflateSome() throws -> Bool {
        guard let decompressor else { return false }
        if input.readableBytes == 0 {
            guard try fill() else { return false }
        }
        if memberEnded {
            try decompressor.reset()
            memberEnded = false
            memberStart = fileOffset - input.readableBytes
            recordsFromMember = 0
        }
        if output.writableBytes < 64 * 1024 { output.reserveCapacity(minimumWritableBytes: max(1 << 20, output.capacity)) }
        do {
            try decompressor.inflate(from: &input, to: &output)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            return true  // output full: parse, then grow
        } catch let error as CompressNIOError where error == .inputBufferOverflow {
            return true  // input used up mid-member: the next call reads more
        } catch {
            throw WARCError.corrupt(path: path, offset: fileOffset - input.readableBytes, detail: "\(error)")
        }
        // Returned without error: the member ended (zlib stops there, leaving the next member's
        // bytes unread), or the input ran out. Inflating an ended member consumes nothing, so
        // leftover input means it ended; with none left, the next call tells.
        if input.readableBytes > 0 {
            memberEnded = true
        } else if (try? fill()) != true {
            // The file ends here: whether the member did too, a probe byte tells (an ended
            // member consumes nothing; an unfinished one takes it as more data).
            var probe = ByteBuffer(bytes: [0])
            var scratch = ByteBufferAllocator().buffer(capacity: 64)
            do { try decompressor.inflate(from: &probe, to: &scratch) } catch {}
            memberEnded = probe.readableBytes == 1
        }
        return true
    }

    /// Reads up to 1 MB more of the file into `input`; false at its end.
    @discardableResult
    private func fill() throws -> Bool {
        guard !endOfFile else { return false }
        input.discardReadBytes()
        input.reserveCapacity(minimumWritableBytes: 1 << 20)
        let count = try input.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 << 20) { buffer in
            do {
                switch try Posix.read(descriptor, into: buffer.baseAddress!, count: buffer.count) {
                case .processed(let count): return count
                case .wouldBlock: return 0
                }
            } catch let error as SystemCallError {
                throw WARCError.cannotOpen(path: path, cause: error)
            }
        }
        if count == 0 { endOfFile = true }
        fileOffset += count
        return count > 0
    }

    /// One whole record from the front of `output`, consumed; nil when it holds less than one.
    private func parseRecord() throws -> WARCRecord? {
        let view = output.readableBytesView
        // Skip blank lines between records (the two CRLFs that end one are part of it, but be lenient).
        var start = view.startIndex
        while start < view.endIndex, view[start] == 13 || view[start] == 10 { start += 1 }
        guard let headerEnd = HTTPMessage.headerEnd(in: Array(view[start..<min(view.endIndex, start + 64 * 1024)])[...]) else {
            if view.endIndex - start > 64 * 1024 {
                throw WARCError.corrupt(path: path, offset: validLength, detail: "no end of a WARC header within 64 KB")
            }
            return nil
        }
        let headerBytes = view[start..<(start + headerEnd)]
        let lines = HTTPMessage.lines(ArraySlice(headerBytes))
        guard let version = lines.first, version.hasPrefix("WARC/") else {
            throw WARCError.corrupt(path: path, offset: validLength, detail: "a record does not start with WARC/1.x")
        }
        var fields: [WARCField] = []
        var type: WARCRecordType?
        var length: Int?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingASCIIWhitespace()
            switch name.lowercased() {
            case "warc-type": type = WARCRecordType(rawValue: value)
            case "content-length": length = Int(value)
            default: fields.append(WARCField(name, value))
            }
        }
        guard let length, length >= 0 else {
            throw WARCError.corrupt(path: path, offset: validLength, detail: "a record without a valid Content-Length")
        }
        let blockStart = start + headerEnd
        guard view.endIndex - blockStart >= length else { return nil }
        let block = Array(view[blockStart..<(blockStart + length)])
        var end = blockStart + length
        // The two CRLFs after the block.
        var newlines = 0
        while end < view.endIndex, newlines < 4, view[end] == 13 || view[end] == 10 {
            end += 1
            newlines += 1
        }
        if newlines < 4, end == view.endIndex, !(memberEnded && decompressor != nil) && !endOfFile { return nil }
        output.moveReaderIndex(forwardBy: end - view.startIndex)
        if output.readableBytes == 0 { output.clear() } else if output.readerIndex > 4 << 20 { output.discardReadBytes() }
        return WARCRecord(type: type ?? .resource, fields: fields, block: block)
    }
}

/// Where a record is in its file: the offset of its gzip member (or, uncompressed, of the
/// record itself), and how many records of that member come before it (0 in the crawler's files,
/// which compress each record alone).
public struct WARCLocation: Sendable, Hashable {
    public var offset: Int
    public var skip: Int

    /// A location.
    public init(offset: Int, skip: Int) {
        self.offset = offset
        self.skip = skip
    }
}

/// What goes wrong reading or writing a WARC file.
public enum WARCError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, cause: SystemCallError)
    case truncated(path: String, validLength: Int)
    case corrupt(path: String, offset: Int, detail: String)
    case exists(path: String)
    case write(path: String, cause: SystemCallError)
    case compression(detail: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let cause):
            "cannot open WARC file \(path): \(cause). Check the path and its permissions."
        case .truncated(let path, let validLength):
            "WARC file \(path) ends in the middle of a record (whole records end at byte \(validLength)); it was cut short, e.g. by a killed crawl. `crawl --resume` with the same --warc repairs it."
        case .corrupt(let path, let offset, let detail):
            "WARC file \(path) is not readable after byte \(offset): \(detail)."
        case .exists(let path):
            "\(path) already exists: pass --resume to append to the archive of the crawl being resumed, or choose another --warc path."
        case .write(let path, let cause):
            "cannot write WARC file \(path): \(cause). Check free space and permissions."
        case .compression(let detail):
            "cannot compress a WARC record: \(detail)."
        }
    }
}
