import CrawlerCore
import CrawlerSystem
import Glibc

/// Writes WARC records to a `WARCFileSet`, one gzip member per record (so a reader can seek to
/// any record), starting a new file when one reaches `maxFileBytes`. A page's records (and a
/// file's `warcinfo`) go to the file in one `write` call where the kernel takes it whole, so a
/// crawl killed with SIGKILL almost always leaves only whole records behind; a resumed writer
/// first cuts off a record cut short anyway (a kill in a long write, a full disk, a crash of
/// the machine) before it appends.
///
/// Not thread-safe: `WARCArchive` runs it on its own queue (its `encoder` is thread-safe).
public final class WARCFileWriter {
    /// The files written to.
    public let fileSet: WARCFileSet
    private let maxFileBytes: Int
    private let info: [WARCField]
    private var descriptor: Int32 = -1
    private var fileIndex = 0
    private var fileBytes = 0
    /// Encodes records for this writer's files (and for anyone encoding pages in parallel).
    public let encoder = WARCEncoder()
    /// What was written, for the crawl summary.
    public private(set) var totals = WARCTotals()

    /// A writer of a new archive (`resume` false: no file of the set may exist), or one that
    /// appends to the archive of a crawl being resumed (its responses are read back first, so
    /// a payload archived before is written as a revisit).
    public init(fileSet: WARCFileSet, maxFileBytes: Int, info: [WARCField], resume: Bool) throws {
        self.fileSet = fileSet
        self.maxFileBytes = max(1, maxFileBytes)
        self.info = info
        let existing = fileSet.existingFiles()
        if !existing.isEmpty, !resume { throw WARCError.exists(path: existing[0]) }
        if existing.isEmpty {
            try makeDirectory(fileSet.directory)
            try openFile(index: 0, creating: true)
        } else {
            for (index, path) in existing.enumerated() {
                let repaired = try readBack(path, isLast: index == existing.count - 1)
                totals.repairedBytes += repaired
            }
            try openFile(index: existing.count - 1, creating: false)
        }
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Encodes and writes the records of `page` (see `WARCEncoder.encode`).
    public func write(_ page: ArchivedPage) throws {
        try write(encoder.encode(page))
    }

    /// Appends a page's encoded records in one `write`, first starting a new file if they would
    /// take this one past the size limit (a page's records stay in one file). A page encoded
    /// just before a new file started names the previous file's `warcinfo`: `WARC-Warcinfo-ID`
    /// is a record ID, valid across files.
    public func write(_ page: EncodedPage) throws {
        if fileBytes > 0, fileBytes + page.bytes.count > maxFileBytes, totals.recordsInFile > 1 {
            try close()
            try openFile(index: fileIndex + 1, creating: true)
        }
        try writeAll(page.bytes)
        for type in page.types { totals.count(type) }
        totals.recordsInFile += page.types.count
        totals.compressedBytes += page.bytes.count
        totals.pages += 1
        encoder.written(page)
    }

    /// Flushes the current file to disk and closes it.
    public func close() throws {
        guard descriptor >= 0 else { return }
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = Glibc.close(descriptor) == 0 ? 0 : errno
        descriptor = -1
        // A full disk or an I/O error can surface only here (data written earlier was cached).
        if synced != 0 { throw WARCError.write(path: fileSet.path(fileIndex), cause: SystemCallError(call: "fsync", errno: synced)) }
        if closed != 0 { throw WARCError.write(path: fileSet.path(fileIndex), cause: SystemCallError(call: "close", errno: closed)) }
    }

    // MARK: Files

    private func append(_ record: WARCRecord) throws {
        let compressed = try encoder.encode(record)
        try writeAll(compressed)
        totals.count(record.type)
        totals.recordsInFile += 1
        totals.compressedBytes += compressed.count
    }

    private func writeAll(_ buffer: [UInt8]) throws {
        let path = fileSet.path(fileIndex)
        try buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                do {
                    switch try Posix.write(descriptor, from: bytes.baseAddress! + offset, count: bytes.count - offset) {
                    case .processed(let count): offset += count
                    case .wouldBlock: continue
                    }
                } catch let error as SystemCallError {
                    throw WARCError.write(path: path, cause: error)
                }
            }
        }
        fileBytes += buffer.count
    }

    /// Opens file `index` for appending; a new file starts with a `warcinfo` record, and so does
    /// every resumed run (its records name the run's own warcinfo).
    private func openFile(index: Int, creating: Bool) throws {
        let path = fileSet.path(index)
        do {
            descriptor = try Posix.open(path, flags: O_WRONLY | O_APPEND | O_CLOEXEC | (creating ? O_CREAT | O_EXCL : 0), mode: 0o644)
            fileBytes = Int(try Posix.stat(path).st_size)
        } catch {
            throw WARCError.write(path: path, cause: error)
        }
        fileIndex = index
        totals.files = max(totals.files, index + 1)
        totals.recordsInFile = 0
        let warcinfoID = WARCRecordID.make()
        let name = String(path.split(separator: "/").last ?? Substring(path))
        try append(.warcinfo(filename: name, id: warcinfoID, date: WallClock.secondsSince1970(), info: info))
        encoder.setWarcinfo(warcinfoID)
    }

    /// Reads an existing file back: remembers its responses' payload digests, and cuts off a
    /// record left unfinished at the end of the last file. Returns the bytes cut off.
    private func readBack(_ path: String, isLast: Bool) throws -> Int {
        let reader = try WARCReader(path: path)
        do {
            while let record = try reader.next() {
                guard record.type == .response, let digest = record["WARC-Payload-Digest"], record["WARC-Truncated"] == nil,
                    let id = record.id, let uri = record.targetURI, let date = record["WARC-Date"],
                    record.httpPayload?.isEmpty == false
                else { continue }
                encoder.remember(digest: digest, response: ArchivedResponse(recordID: id, targetURI: uri, date: date))
            }
            return 0
        } catch WARCError.truncated(_, let validLength) where isLast {
            let size = Int((try? Posix.stat(path).st_size) ?? 0)
            guard truncate(path, off_t(validLength)) == 0 else {
                throw WARCError.write(path: path, cause: SystemCallError(call: "truncate", errno: errno))
            }
            return size - validLength
        }
    }

    private func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0, errno != EEXIST {
            throw WARCError.write(path: path, cause: SystemCallError(call: "mkdir", errno: errno))
        }
    }
}

/// What a `WARCFileWriter` wrote.
public struct WARCTotals: Sendable, Hashable {
    /// Pages archived.
    public var pages = 0
    /// Records per type.
    public var records: [WARCRecordType: Int] = [:]
    /// Compressed bytes written.
    public var compressedBytes = 0
    /// Files of the set written to.
    public var files = 0
    /// Bytes of an unfinished record cut off the end of the archive on resume.
    public var repairedBytes = 0
    var recordsInFile = 0

    /// No records yet.
    public init() {}

    mutating func count(_ type: WARCRecordType) { records[type, default: 0] += 1 }
}
