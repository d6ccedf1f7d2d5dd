import CrawlerCore
import CrawlerParse
import Foundation
import SAXCeiling
import Synchronization

/// How far N cores can take a parse when nothing is handed over: N plain threads, each over a
/// fixed share of the corpus (every Nth page), with no queue, no tasks and no answers to hand
/// back. Two of them:
/// - `c-push` on N threads: libxml2's push parser from C, so what the machine itself gives
///   (its cores, caches and memory bandwidth) with a parse that allocates little;
/// - `extractor` on N threads: the Swift `LinkExtractor`, so what the engines' own parse
///   gives before a page is queued, parsed on a pool and its result handed back.
///
/// A pool engine's speedup is then split in two: the extractor's own scaling (allocator,
/// caches), and the hand-off (the queue, waking the waiting tasks, the pipes).
extension ParseBenchmark {
    /// What runs on the bare threads.
    public enum BareWork: String, Sendable, CaseIterable {
        /// `sax_ceiling_run_push` over each thread's share.
        case cPush = "c-push"
        /// `LinkExtractor.extract` over each thread's share.
        case extractor = "extractor"
    }

    /// Runs `work` on `threads` plain threads at once, each over every `threads`th page; the
    /// best of `passes` timed passes after one warm-up. The engine is named after the work,
    /// with `threads` as its workers.
    public static func runBare(_ work: BareWork, threads: Int, corpus: ParseCorpus, passes: Int = 3) -> ParseBenchmarkResult {
        let threads = max(1, threads)
        let shares = (0..<threads).map { BareShare(corpus: corpus, first: $0, stride: threads) }
        defer { for share in shares { share.deallocate() } }
        let extractor = LinkExtractor(options: ParseOptions())
        var best: (wall: Double, cpu: Double, links: Int)?
        for pass in 0...max(1, passes) {
            let links = Mutex(0)
            let finished = DispatchGroup()
            let cpuBefore = cpuSeconds(including: [])
            let start = ContinuousClock.now
            for share in shares {
                finished.enter()
                let thread = Thread {
                    let found = share.run(work, extractor: extractor)
                    links.withLock { $0 += found }
                    finished.leave()
                }
                thread.stackSize = 8 << 20  // as the engines' threads (deeply nested pages)
                thread.start()
            }
            finished.wait()
            let wall = seconds(ContinuousClock.now - start)
            let cpu = cpuSeconds(including: []) - cpuBefore
            if pass > 0, best == nil || wall < best!.wall { best = (wall, cpu, links.withLock { $0 }) }  // pass 0 warms up
        }
        return ParseBenchmarkResult(
            engine: work.rawValue, workers: threads, pages: corpus.jobs.count, bytes: corpus.byteCount, links: best!.links,
            wallSeconds: best!.wall, cpuSeconds: best!.cpu, ipcMicrosecondsPerPage: nil)
    }
}

/// One bare thread's pages: the jobs (for the extractor) and C copies of their bodies (for
/// the ceiling), made before the clock starts.
private final class BareShare: @unchecked Sendable {
    // @unchecked: the pointers are written once, in init, before the share is handed to its
    // thread; the thread only reads them, and `deallocate` runs after every thread has left
    // (the caller waits on the group first).
    let jobs: [ParseJob]
    private let bodies: [UnsafeMutablePointer<UInt8>]
    private let lengths: [Int]

    init(corpus: ParseCorpus, first: Int, stride step: Int) {
        jobs = Array(stride(from: first, to: corpus.jobs.count, by: step).map { corpus.jobs[$0] })
        bodies = jobs.map { job in
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, job.body.count))
            copy.initialize(from: job.body, count: job.body.count)
            return copy
        }
        lengths = jobs.map { $0.body.count }
    }

    /// Runs `work` over the share; returns the links (or raw hrefs) found.
    func run(_ work: ParseBenchmark.BareWork, extractor: LinkExtractor) -> Int {
        switch work {
        case .extractor:
            return jobs.reduce(0) { total, job in total + ((try? extractor.extract(job).get())?.links.count ?? 0) }
        case .cPush:
            let pointers: [UnsafePointer<UInt8>?] = bodies.map { UnsafePointer($0) }
            let result = pointers.withUnsafeBufferPointer { bodiesBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    sax_ceiling_run_push(bodiesBuffer.baseAddress, lengthBuffer.baseAddress, jobs.count)
                }
            }
            return result.hrefs
        }
    }

    func deallocate() {
        for body in bodies { body.deallocate() }
    }
}
