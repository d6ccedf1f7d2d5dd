import CrawlerCore
import CrawlerParse
import Foundation
import SAXCeiling
import Synchronization

/// How far N cores can take a parse when nothing is handed over: N plain threads that claim
/// the corpus's pages one by one from a shared counter, with no queue, no tasks and no answers
/// to hand back. Two of them:
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
        /// `sax_ceiling_run_push` on each page a thread claims.
        case cPush = "c-push"
        /// `LinkExtractor.extract` on each page a thread claims.
        case extractor = "extractor"
    }

    /// Runs `work` on `threads` plain threads at once, each claiming the next page until none
    /// is left (static shares would leave one thread idle while another finishes the long
    /// pages); the best of `passes` timed passes after one warm-up. The engine is named after
    /// the work, with `threads` as its workers.
    public static func runBare(_ work: BareWork, threads: Int, corpus: ParseCorpus, passes: Int = 3) -> ParseBenchmarkResult {
        let threads = max(1, threads)
        let pages = BarePages(corpus: corpus)
        defer { pages.deallocate() }
        let extractor = LinkExtractor(options: ParseOptions())
        var best: (wall: Double, cpu: Double, links: Int)?
        for pass in 0...max(1, passes) {
            let links = Mutex(0)
            let next = Atomic(0)
            let finished = DispatchGroup()
            let cpuBefore = cpuSeconds(including: [])
            let start = ContinuousClock.now
            for _ in 0..<threads {
                finished.enter()
                let thread = Thread {
                    var found = 0
                    while case let index = next.add(1, ordering: .relaxed).oldValue, index < pages.count {
                        found += pages.parse(index, work, extractor: extractor)
                    }
                    links.withLock { [found] in $0 += found }
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

/// The corpus for the bare threads: the jobs (for the extractor) and C copies of their
/// bodies (for the ceiling), made before the clock starts.
private final class BarePages: @unchecked Sendable {
    // @unchecked: the pointers are written once, in init, before any thread starts; the
    // threads only read them, and `deallocate` runs after every thread has left (the caller
    // waits on the group first).
    private let jobs: [ParseJob]
    private let bodies: [UnsafePointer<UInt8>?]
    private let lengths: [Int]

    var count: Int { jobs.count }

    init(corpus: ParseCorpus) {
        jobs = corpus.jobs
        bodies = jobs.map { job in
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, job.body.count))
            copy.initialize(from: job.body, count: job.body.count)
            return UnsafePointer(copy)
        }
        lengths = jobs.map { $0.body.count }
    }

    /// Parses page `index` with `work`; returns the links (or raw hrefs) found.
    func parse(_ index: Int, _ work: ParseBenchmark.BareWork, extractor: LinkExtractor) -> Int {
        switch work {
        case .extractor:
            return (try? extractor.extract(jobs[index]).get())?.links.count ?? 0
        case .cPush:
            return bodies.withUnsafeBufferPointer { bodiesBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    sax_ceiling_run_push(bodiesBuffer.baseAddress! + index, lengthBuffer.baseAddress! + index, 1).hrefs
                }
            }
        }
    }

    func deallocate() {
        for body in bodies { UnsafeMutablePointer(mutating: body)?.deallocate() }
    }
}
