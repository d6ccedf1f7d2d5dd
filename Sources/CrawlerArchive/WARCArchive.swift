import CrawlerCore
import Dispatch
import Synchronization

/// The crawl's archive. Pages go in from the pipeline (`add`); their records are encoded
/// (digests, gzip) on a concurrent queue, so that work spreads over the cores, and written by
/// one writer on its own serial queue, both off the cooperative thread pool. `add` returns once
/// the page's records are in the file, so a page the store commits afterwards is in the archive
/// whenever the crawl is killed. When more than `backlogBytes` of pages wait, `add` waits
/// before it hands its page over, so a slow disk slows the crawl instead of filling memory. A
/// write error (a full disk) stops the archive: `add` answers false for that page and every
/// later one (the pipeline then stops the crawl without storing them), and `finish` throws it.
public final class WARCArchive: Sendable {
    /// Bytes of pages waiting to be encoded and written before `add` waits.
    public static let defaultBacklogBytes = 64 << 20
    /// This archive's budget (`defaultBacklogBytes` unless a test asks for less).
    public let backlogBytes: Int

    private let encoding = DispatchQueue(label: "crawler.warc-encoder", attributes: .concurrent)
    private let queue = DispatchQueue(label: "crawler.warc-writer")
    private let pending = DispatchGroup()
    private let writer: WriterBox
    private let encoder: WARCEncoder
    private let state = Mutex(State())

    private struct State {
        var pendingBytes = 0
        /// Pages waiting for room, first come first served, with their sizes.
        var waiters: [(size: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var error: WARCError?
        /// `add` answered false at least once.
        var refusedAPage = false
        var encodeCPUSeconds = 0.0
    }

    /// Opens the archive at `fileSet` (see `WARCFileWriter.init`).
    public init(fileSet: WARCFileSet, maxFileBytes: Int, info: [WARCField], resume: Bool, backlogBytes: Int = defaultBacklogBytes) throws {
        self.backlogBytes = backlogBytes
        let fileWriter = try WARCFileWriter(fileSet: fileSet, maxFileBytes: maxFileBytes, info: info, resume: resume)
        writer = WriterBox(fileWriter)
        encoder = fileWriter.encoder
    }

    /// Whether `add` refused a page (answered false): the crawl stopped at a write error, rather
    /// than failing only to flush or close the last file in `finish`.
    public var refusedAPage: Bool { state.withLock { $0.refusedAPage } }

    /// Bytes of an unfinished record the writer cut off the end of a resumed archive.
    public var repairedBytes: Int { queue.sync { writer.writer.totals.repairedBytes } }

    /// Archives `page`: returns true when its records are written, false when the archive has
    /// stopped on an error (this page's or an earlier one's): then the page must not be stored
    /// as archived. Waits first while the backlog is full.
    public func add(_ page: ArchivedPage) async -> Bool {
        let size = page.byteCount
        // In the group from the start: `finish` waits for a page still waiting for room too.
        pending.enter()
        await waitForRoom(for: size)
        return await withCheckedContinuation { (written: CheckedContinuation<Bool, Never>) in
            encoding.async { [self] in
                var encoded: EncodedPage?
                if state.withLock({ $0.error == nil }) {
                    let cpuStart = CPUTime.currentThread()
                    do {
                        encoded = try encoder.encode(page)
                    } catch {
                        fail(error)
                    }
                    let cpu = CPUTime.currentThread() - cpuStart
                    state.withLock { $0.encodeCPUSeconds += cpu }
                }
                queue.async { [self, encoded] in
                    var wrote = false
                    if let encoded, state.withLock({ $0.error == nil }) {
                        let cpuStart = CPUTime.currentThread()
                        do {
                            try writer.writer.write(encoded)
                            wrote = true
                        } catch {
                            fail(error)
                        }
                        writer.cpuSeconds += CPUTime.currentThread() - cpuStart
                    }
                    release(size)
                    if !wrote { state.withLock { $0.refusedAPage = true } }
                    written.resume(returning: wrote)
                }
                pending.leave()
            }
        }
    }

    /// Waits for every page handed over to be written, closes the file, and says what was
    /// written; throws the write error that stopped the archive, if one did.
    public func finish() async throws -> WARCSummary {
        let started = ContinuousClock.now
        let (totals, writerCPU, closeError): (WARCTotals, Double, (any Error)?) = await withCheckedContinuation { continuation in
            // After every encoding has queued its write: the close comes after the last write.
            pending.notify(queue: queue) { [writer] in
                var closeError: (any Error)?
                do { try writer.writer.close() } catch { closeError = error }
                continuation.resume(returning: (writer.writer.totals, writer.cpuSeconds, closeError))
            }
        }
        let (error, encodeCPU) = state.withLock { ($0.error, $0.encodeCPUSeconds) }
        if let error { throw error }
        if let closeError { throw closeError }
        let waited = ContinuousClock.now - started
        let waitedSeconds = Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18
        return WARCSummary(
            totals: totals, cpuSeconds: writerCPU + encodeCPU, finishSeconds: waitedSeconds, directory: writer.writer.fileSet.directory)
    }

    private func fail(_ error: any Error) {
        let error = error as? WARCError ?? .compression(detail: "\(error)")
        state.withLock { state in
            if state.error == nil { state.error = error }
        }
    }

    /// Counts `size` bytes in the backlog once there is room for them: at once when the
    /// backlog is empty (a page larger than the whole budget goes alone) or has room and no
    /// page waits before this one; otherwise after the pages ahead of it.
    private func waitForRoom(for size: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                guard state.waiters.isEmpty, fits(size, pending: state.pendingBytes) else {
                    state.waiters.append((size, continuation))
                    return false
                }
                state.pendingBytes += size
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func fits(_ size: Int, pending: Int) -> Bool { pending == 0 || pending + size <= backlogBytes }

    /// Takes `size` bytes off the backlog and lets in, in order, the waiting pages that fit.
    private func release(_ size: Int) {
        let admitted = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.pendingBytes -= size
            var admitted: [CheckedContinuation<Void, Never>] = []
            while let first = state.waiters.first, fits(first.size, pending: state.pendingBytes) {
                state.pendingBytes += first.size
                admitted.append(first.continuation)
                state.waiters.removeFirst()
            }
            return admitted
        }
        for continuation in admitted { continuation.resume() }
    }
}

/// What an archive holds at the end of a run.
public struct WARCSummary: Sendable, Hashable {
    /// Records, bytes and files written.
    public var totals: WARCTotals
    /// CPU seconds spent archiving: digesting and compressing (on every core) and writing.
    public var cpuSeconds: Double
    /// Seconds `finish` took: flushing the last file to disk and closing it (the crawl waits
    /// for each page's records before it commits the page, so nothing else is left by then).
    public var finishSeconds: Double
    /// The folder of the files.
    public var directory: String
}

/// The writer, reached only from `WARCArchive.queue`.
///
/// `@unchecked Sendable`: `WARCArchive` touches `writer`'s mutable state and `cpuSeconds` only
/// inside blocks submitted to its serial `queue` (`add`'s writes, `finish`'s notify block, and
/// `repairedBytes` through `queue.sync`), so no two threads use them at once, and the queue
/// orders every access. Outside it, only constants are read (`fileSet`), and the writer's
/// `encoder`, which is `Sendable`.
private final class WriterBox: @unchecked Sendable {
    let writer: WARCFileWriter
    var cpuSeconds: Double = 0
    init(_ writer: WARCFileWriter) { self.writer = writer }
}
