import CrawlerCore
import Dispatch
import Synchronization

/// The crawl's archive: pages go in from the pipeline (`add`), and one writer, on its own
/// serial queue off the cooperative thread pool, digests, compresses and writes their records.
/// When the writer falls more than `backlogBytes` behind, `add` waits, so a slow disk slows the
/// crawl instead of filling memory. A write error (a full disk) stops the archive, not the
/// crawl: later pages are not archived, and `finish` throws the error.
public final class WARCArchive: Sendable {
    /// Bytes of pages waiting for the writer before `add` waits.
    public static let backlogBytes = 64 << 20

    private let queue = DispatchQueue(label: "crawler.warc-writer")
    private let writer: WriterBox
    private let state = Mutex(State())

    private struct State {
        var pendingBytes = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var error: WARCError?
    }

    /// Opens the archive at `fileSet` (see `WARCFileWriter.init`).
    public init(fileSet: WARCFileSet, maxFileBytes: Int, info: [WARCField], resume: Bool) throws {
        writer = WriterBox(try WARCFileWriter(fileSet: fileSet, maxFileBytes: maxFileBytes, info: info, resume: resume))
    }

    /// Bytes of an unfinished record the writer cut off the end of a resumed archive.
    public var repairedBytes: Int { queue.sync { writer.writer.totals.repairedBytes } }

    /// Hands `page` to the writer; waits while the writer is too far behind.
    public func add(_ page: ArchivedPage) async {
        let size = page.byteCount
        let mustWait = state.withLock { state in
            state.pendingBytes += size
            return state.pendingBytes > Self.backlogBytes
        }
        queue.async { [self] in
            let failed = state.withLock { $0.error != nil }
            if !failed {
                let cpuStart = CPUTime.currentThread()
                do {
                    try writer.writer.write(page)
                } catch {
                    let error = error as? WARCError ?? .compression(detail: "\(error)")
                    state.withLock { $0.error = error }
                }
                writer.cpuSeconds += CPUTime.currentThread() - cpuStart
            }
            let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.pendingBytes -= size
                guard state.pendingBytes <= Self.backlogBytes else { return [] }
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in ready { waiter.resume() }
        }
        guard mustWait else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.pendingBytes <= Self.backlogBytes { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Waits for every page handed over to be written, closes the file, and says what was
    /// written; throws the write error that stopped the archive, if one did.
    public func finish() async throws -> WARCSummary {
        let started = ContinuousClock.now
        let (totals, cpu, closeError): (WARCTotals, Double, (any Error)?) = await withCheckedContinuation { continuation in
            queue.async { [writer] in
                var closeError: (any Error)?
                do { try writer.writer.close() } catch { closeError = error }
                continuation.resume(returning: (writer.writer.totals, writer.cpuSeconds, closeError))
            }
        }
        if let error = state.withLock({ $0.error }) { throw error }
        if let closeError { throw closeError }
        let waited = ContinuousClock.now - started
        let waitedSeconds = Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18
        return WARCSummary(totals: totals, writerCPUSeconds: cpu, finishSeconds: waitedSeconds, directory: writer.writer.fileSet.directory)
    }
}

/// What an archive holds at the end of a run.
public struct WARCSummary: Sendable, Hashable {
    /// Records, bytes and files written.
    public var totals: WARCTotals
    /// CPU seconds the writer spent digesting, compressing and writing.
    public var writerCPUSeconds: Double
    /// Seconds `finish` waited for the writer to write what it still held: time the crawl
    /// spent on its archive after its last page.
    public var finishSeconds: Double
    /// The folder of the files.
    public var directory: String
}

/// The writer, reached only from `WARCArchive.queue`.
///
/// `@unchecked Sendable`: `WARCArchive` touches `writer` and `cpuSeconds` only inside blocks
/// submitted to its serial `queue` (`add`, `finish`, and `repairedBytes` through `queue.sync`),
/// so no two threads use them at once, and the queue orders every access.
private final class WriterBox: @unchecked Sendable {
    let writer: WARCFileWriter
    var cpuSeconds: Double = 0
    init(_ writer: WARCFileWriter) { self.writer = writer }
}
