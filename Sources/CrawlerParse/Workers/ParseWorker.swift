import CLibXML2
import CrawlerCore
import CrawlerSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The worker process's side: reads request frames on stdin, parses, writes response frames
/// on stdout, until stdin reaches end-of-file. Run by the hidden `crawler worker` subcommand.
public enum ParseWorker {
    /// How a worker is started (the subcommand's flags).
    public struct Settings: Sendable {
        /// Anchor text bound (`ParseOptions.maxAnchorTextLength`).
        public var maxAnchorTextLength: Int = ParseOptions().maxAnchorTextLength
        /// Address-space limit (RLIMIT_AS) in MiB; 0 for none.
        public var memoryLimitMegabytes: Int = 1024
        /// Honour `ParseJob.testFault`. Off in production: the flag is only passed by tests.
        public var enableTestHooks: Bool = false
        /// Answers held back and written together, so the parent wakes once per batch rather
        /// than once per page. A worker never holds an answer while it waits for input, nor
        /// longer than `answerDelayMilliseconds` while it parses.
        public var answerBatch: Int = 16
        /// The longest a finished answer waits for its batch while the worker goes on parsing.
        public var answerDelayMilliseconds: Int = 5
        /// The descriptor of the slot's shared body ring (`BodyRing`), if it has one: the
        /// engine sets it when it starts the worker (`--body-ring-fd`).
        public var bodyRingDescriptor: Int32?
        /// The most CPU time one page may use before the worker ends itself with
        /// `Posix.cpuTimeoutExitStatus` (`--parse-timeout-cpu`); 0 for no limit.
        public var cpuTimeoutSeconds: Double = 0

        /// The defaults.
        public init() {}

        /// The worker's command-line arguments after the subcommand name.
        var arguments: [String] {
            var arguments = ["--max-anchor-text-length", String(maxAnchorTextLength), "--memory-limit-mb", String(memoryLimitMegabytes)]
            arguments += ["--answer-batch", String(answerBatch), "--answer-delay-ms", String(answerDelayMilliseconds)]
            if enableTestHooks { arguments.append("--enable-test-hooks") }
            if let bodyRingDescriptor { arguments += ["--body-ring-fd", String(bodyRingDescriptor)] }
            if cpuTimeoutSeconds > 0 { arguments += ["--parse-timeout-cpu", String(cpuTimeoutSeconds)] }
            return arguments
        }
    }

    /// Serves requests until stdin closes, reading bodies the parent puts in shared memory
    /// from the ring at `settings.bodyRingDescriptor`, if any; returns the exit status.
    public static func run(_ settings: Settings) -> Int32 {
        // Die with the parent, even if it is killed -9 (and if it already died, go now).
        let parent = getppid()
        try? Posix.setParentDeathSignal(SIGKILL)
        if getppid() != parent { return 0 }
        _ = cxml_exit_on_out_of_memory()
        // The ring is mapped before the memory limit is set, so a low limit cannot keep the
        // worker from starting (the ring still counts toward it: 4 MiB of the default 1 GiB).
        let sharedBodies: SharedBodies?
        do {
            sharedBodies = try settings.bodyRingDescriptor.map { descriptor throws(WireFormatError) in try SharedBodies(descriptor: descriptor) }
        } catch {
            FileHandle.standardError.write(Data("crawler worker: \(error); exiting\n".utf8))
            return 2
        }
        if settings.memoryLimitMegabytes > 0 {
            let bytes = rlim_t(settings.memoryLimitMegabytes) << 20
            var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
            _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        }
        // Without its CPU timer the worker still works: the parent's wall-clock watchdog
        // then ends a page that runs too long, later.
        let timer: PageCPUTimer?
        do {
            timer = try PageCPUTimer(seconds: settings.cpuTimeoutSeconds)
        } catch {
            timer = nil
            FileHandle.standardError.write(Data("crawler worker: cannot set up the parse timeout's CPU timer (\(error)); going on with the parent's watchdog alone\n".utf8))
        }
        var options = ParseOptions()
        options.maxAnchorTextLength = settings.maxAnchorTextLength
        let extractor = LinkExtractor(options: options)
        var decoder = FrameDecoder()
        var answers = AnswerBatch(size: settings.answerBatch, delay: .milliseconds(max(0, settings.answerDelayMilliseconds)))
        answers.add(.ready)
        if !answers.flush(to: 1) { return 1 }
        while true {
            do {
                while let payload = try decoder.nextPayload() {
                    answers.add(try respond(to: try WireReader.requestInPlace(from: payload), extractor: extractor, settings: settings, sharedBodies: sharedBodies, timer: timer))
                    if answers.isDue, !answers.flush(to: 1) { return 1 }
                }
            } catch {
                FileHandle.standardError.write(Data("crawler worker: \(error); exiting\n".utf8))
                return 2
            }
            // Out of complete requests: never sit on answers while waiting for more input
            // (the parent may be waiting for them before it sends any).
            if answers.count > 0, !inputIsReady(0), !answers.flush(to: 1) { return 1 }
            // stdin blocks: it never says "would block" unless someone made it non-blocking.
            guard case .success(.processed(let count)) = Result(catching: { () throws(SystemCallError) in try decoder.read(from: 0) }) else { return 1 }
            if count == 0 { return answers.flush(to: 1) ? 0 : 1 }
        }
    }

    static func respond(to request: WorkerRequestInPlace, extractor: LinkExtractor, settings: Settings, sharedBodies: SharedBodies? = nil, timer: PageCPUTimer? = nil) throws(WireFormatError) -> WorkerResponse {
        switch request {
        case .echo(let id, let body):
            // Checked like a parse's body, not read: an echo measures the transport alone.
            try body.withBytes(in: sharedBodies) { _ in }
            return .echoed(id: id)
        case .parse(let id, let url, let headers, let testFault, let body):
            timer?.arm()
            defer { timer?.disarm() }
            if settings.enableTestHooks, let testFault {
                switch testFault {
                case .crash:
                    // Without Swift's backtracer: a crash the tests ask for is not news, and its
                    // backtrace in the test log would look like a real one.
                    signal(SIGABRT, SIG_DFL)
                    abort()
                case .hang: while true { sleep(1000) }
                case .exhaustMemory: cxml_exhaust_memory()
                case .slow: Posix.burnCPU(nanoseconds: 300_000_000)
                case .spin: Posix.burnCPU(nanoseconds: -1)
                }
            }
            return .parsed(id: id, result: try body.withBytes(in: sharedBodies) { extractor.extract(url: url, headers: headers, body: $0) })
        }
    }

    /// True if a read of `descriptor` would not block.
    private static func inputIsReady(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard let ready = try? Posix.poll(&entry, timeout: 0) else { return false }
        return ready > 0
    }
}

/// Answers a worker has encoded but not yet written: written together when `size` are
/// waiting or `delay` has passed since the last write, so one wake-up of the parent carries
/// several pages. Because a page finished more than `delay` after the last write is sent at
/// once, a parent that has heard nothing for `timeout + delay` knows the page being parsed has
/// run for at least `timeout`.
struct AnswerBatch {
    let size: Int
    let delay: Duration
    private var writer = WireWriter()
    private(set) var count = 0
    private var lastWrite = ContinuousClock.now

    init(size: Int, delay: Duration) {
        self.size = max(1, size)
        self.delay = delay
    }

    mutating func add(_ response: WorkerResponse) {
        writer.write(response)
        count += 1
    }

    /// Whether the batch should go now, even though the worker has more requests to parse.
    var isDue: Bool { count >= size || ContinuousClock.now - lastWrite >= delay }

    /// Writes every held answer; false if the parent is gone.
    mutating func flush(to descriptor: Int32) -> Bool {
        defer {
            writer.bytes.removeAll(keepingCapacity: true)
            count = 0
            lastWrite = .now
        }
        var offset = 0
        while offset < writer.bytes.count {
            // withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
            let outcome = writer.bytes.withUnsafeBytes { bytes in
                Result { () throws(SystemCallError) in try Posix.write(descriptor, from: bytes.baseAddress! + offset, count: bytes.count - offset) }
            }
            // stdout blocks; any error (EPIPE) means the parent is gone.
            guard case .success(.processed(let written)) = outcome else { return false }
            offset += written
        }
        return true
    }
}
