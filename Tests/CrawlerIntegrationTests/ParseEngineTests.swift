import CrawlerBench
import CrawlerCore
import Foundation
import Synchronization
import SyntheticWeb
import TestSupport
import Testing

@testable import CrawlerParse

/// Runs every job through `engine` concurrently, from tasks that prefer `executor`; results
/// in job order.
func parseAll(_ jobs: [ParseJob], with engine: any ParseEngine, on executor: (any TaskExecutor)? = nil) async -> [Result<ParsedPage, ParseError>] {
    await withTaskGroup(of: (Int, Result<ParsedPage, ParseError>).self) { group in
        for (index, job) in jobs.enumerated() {
            group.addTask(executorPreference: executor) { (index, await engine.parse(job)) }
        }
        var results = [Result<ParsedPage, ParseError>?](repeating: nil, count: jobs.count)
        for await (index, result) in group {
            #expect(results[index] == nil, "page \(index) came back twice")
            results[index] = result
        }
        return results.map { $0! }
    }
}

func options(_ model: ParseModel, workers: Int = 2, timeout: Double = 10) -> ParseOptions {
    var options = ParseOptions()
    options.model = model
    options.workers = workers
    options.timeoutSeconds = timeout
    return options
}

/// The built `crawler` binary, whose hidden `worker` command the process engine starts.
func workerExecutable() throws -> String {
    let binary = CrawlerBinary.url.path
    try #require(FileManager.default.isExecutableFile(atPath: binary), "the crawler binary is not next to the test bundle")
    return binary
}

/// A process engine on the built `crawler` binary.
func processEngine(workers: Int = 2, timeout: Double = 10, watchdog: Double? = nil, testHooks: Bool = false, memoryLimit: Int = 1024, sharedBodyBytes: Int? = nil) throws -> ProcessParseEngine {
    let binary = try workerExecutable()
    var configuration = ProcessParseEngine.Configuration(options: options(.processes, workers: workers, timeout: timeout))
    configuration.watchdogSeconds = watchdog
    configuration.executablePath = binary
    configuration.worker.enableTestHooks = testHooks
    configuration.worker.memoryLimitMegabytes = memoryLimit
    if let sharedBodyBytes { configuration.sharedBodyBytes = sharedBodyBytes }
    return try ProcessParseEngine(configuration)
}

/// Hand fixtures plus generated pages plus the awkward ones.
func mixedJobs() -> [ParseJob] {
    var jobs = ParseCorpus.generated(pageCount: 60, averageBytes: 12_000, seed: 7).jobs
    let url = NormalizedURL("http://fixture.test/p")!
    jobs.append(ParseJob(url: url, body: Array("<base href='/b/'><a href=x rel=nofollow>x</a><meta name=robots content=noindex><title>T</title>".utf8)))
    jobs.append(ParseJob(url: url, headers: ResponseHeaders(contentType: "image/png"), body: [0x89, 0x50]))
    jobs.append(ParseJob(url: url, headers: ResponseHeaders(), body: [0, 0, 0, 1]))  // untyped, so sniffed: binary
    jobs.append(ParseJob(url: url, body: []))
    jobs.append(ParseJob(url: url, body: Array(("<html>" + String(repeating: "<div>", count: 20_000) + "<a href='/deep'>d</a>").utf8)))
    jobs.append(ParseJob(url: url, headers: ResponseHeaders(contentType: "text/html"), body: Array("<meta charset=iso-8859-1><a href='/caf".utf8) + [0xE9] + Array("'>x</a>".utf8)))
    // Invalid UTF-8 in a UTF-8 page: every engine keeps the href's bytes as sent.
    jobs.append(
        ParseJob(
            url: url, headers: ResponseHeaders(contentType: "text/html; charset=utf-8"),
            body: Array("<title>t".utf8) + [0xFF] + Array("</title><a href='/caf".utf8) + [0xE9] + Array("?q=".utf8) + [0xE6, 0x97] + Array("'>caf".utf8) + [0xE9] + Array("</a>".utf8)))
    return jobs
}

/// A lost wake-up in an engine would hang a test rather than fail it: the time limit turns it
/// into a failure (each test takes seconds).
@Suite(.serialized, .timeLimit(.minutes(2))) struct ParseEngineTests {
    @Test func allEnginesGiveTheSameOutput() async throws {
        let jobs = mixedJobs()
        let inline = try makeParseEngine(options(.inline))
        let expected = await parseAll(jobs, with: inline)
        #expect(expected.filter { (try? $0.get()) != nil }.count == jobs.count - 2)

        let threads = try makeParseEngine(options(.threads, workers: 2))
        #expect(await parseAll(jobs, with: threads) == expected)
        await threads.shutdown()

        let binary = try workerExecutable()
        let processes = try makeParseEngine(options(.processes, workers: 2), workerExecutable: URL(fileURLWithPath: binary))
        #expect(await parseAll(jobs, with: processes) == expected)
        await processes.shutdown()
    }

    /// The synthetic web's pages (without HTTP, as `SyntheticWebAnswerKeyTests` in
    /// CrawlerParseTests parses them, on the same web) parse alike in every engine.
    @Test func allEnginesAgreeOnTheSyntheticWeb() async throws {
        let port = 18_080
        let model = SiteModel(config: SyntheticWebConfig(seed: 7, hosts: 3, pages: 150, meanPageKB: 8, port: port, faults: true), port: port)
        let jobs = model.parseJobs(of: model.answerKey())
        let expected = await parseAll(jobs, with: InlineParseEngine(options: ParseOptions()))
        let threads = ThreadParseEngine(options: options(.threads, workers: 2))
        #expect(await parseAll(jobs, with: threads) == expected)
        await threads.shutdown()
        let processes = try processEngine(workers: 2)
        #expect(await parseAll(jobs, with: processes) == expected)
        await processes.shutdown()
    }

    /// Bodies go to the workers through shared memory when they fit and down the pipe when
    /// they do not: with no ring, a ring too small for the 100 KB page and too small to hold
    /// a full batch, and the default ring. The output is the same every way.
    @Test(arguments: [0, 64 * 1024, ProcessParseEngine.Configuration(options: ParseOptions()).sharedBodyBytes])
    func bodiesThroughTheRingOrThePipeParseAlike(ringBytes: Int) async throws {
        let jobs = mixedJobs() + mixedJobs()
        let expected = await parseAll(jobs, with: InlineParseEngine(options: options(.inline)))
        let engine = try processEngine(workers: 2, sharedBodyBytes: ringBytes)
        #expect(await parseAll(jobs, with: engine) == expected)
        let statistics = engine.currentStatistics
        #expect(statistics.sharedBodies + statistics.pipedBodies == jobs.count)
        let empty = jobs.filter(\.body.isEmpty).count
        switch ringBytes {
        case 0: #expect(statistics.sharedBodies == 0)
        case 64 * 1024: #expect(statistics.sharedBodies > 0 && statistics.pipedBodies > empty)
        default: #expect(statistics.pipedBodies == empty, "only empty bodies take the pipe")
        }
        await engine.shutdown()
    }

    /// A thread takes a batch of pages under a backlog and hands the results back together:
    /// each caller must still get its own page's result, whatever the batch size.
    @Test(arguments: [1, 3, 8, 64])
    func threadBatchesHandEachCallerItsOwnPage(batch: Int) async throws {
        let jobs = mixedJobs()
        let expected = await parseAll(jobs, with: InlineParseEngine(options: options(.inline)))
        let threads = ThreadParseEngine(options: options(.threads, workers: 1), batch: batch)
        #expect(threads.batch == batch)
        #expect(await parseAll(jobs, with: threads) == expected)
        await threads.shutdown()
    }
    @Test func crashingPageIsRetriedOnceThenRecorded() async throws {
        let engine = try processEngine(workers: 2, testHooks: true)
        var jobs = mixedJobs()
        jobs[5].testFault = .crash
        let results = await parseAll(jobs, with: engine)
        guard case .failure(.workerCrashed(let url, let reason)) = results[5] else {
            Issue.record("expected a worker crash, got \(results[5])")
            return
        }
        #expect(url == jobs[5].url.string)
        #expect(reason.contains("SIGABRT"))
        var expected = await parseAll(jobs, with: InlineParseEngine(options: ParseOptions()))
        expected[5] = results[5]
        #expect(results == expected)
        // The first crash makes every page the worker had not answered a suspect (each sent
        // again, alone); the second pins it on page 5, which is failed, not retried.
        let statistics = engine.currentStatistics
        #expect(statistics.workersLost == 2)
        #expect((1...engine.configuration.maxInFlightPerWorker).contains(statistics.retries))
        await engine.shutdown()
    }

    @Test func slowPagesInOneBatchAreNotTimedOut() async throws {
        // Eight pages of 300 ms of CPU time each on one worker, sent together: 2.4 s of CPU for
        // the batch, more than the 1 s timeout, but each page alone uses less than a third of
        // it. The timeout counts each page's own CPU time, so however loaded the machine is
        // (wall-clock time stretches, CPU time does not) nothing is killed.
        let engine = try processEngine(workers: 1, timeout: 1, testHooks: true)
        let inFlight = engine.configuration.maxInFlightPerWorker
        let count = 8
        try #require(count <= inFlight && Double(count) * 0.3 > 2 * engine.configuration.timeoutSeconds)
        // The worker is started first: its start-up is not a slow page's.
        #expect((try? await engine.parse(ParseJob(url: NormalizedURL("http://slow.test/")!, body: Array("<p>warm-up".utf8))).get()) != nil)
        let jobs = (0..<count).map { ParseJob(url: NormalizedURL("http://slow.test/\($0)")!, body: Array("<a href=/\($0)>".utf8), testFault: .slow) }
        let clock = ContinuousClock()
        let start = clock.now
        let results = await parseAll(jobs, with: engine)
        #expect(clock.now - start > .seconds(engine.configuration.timeoutSeconds), "the batch took longer than the timeout")
        #expect(results.map { (try? $0.get())?.links.map(\.target.path) } == (0..<count).map { ["/\($0)"] })
        #expect(engine.currentStatistics.workersLost == 0)
        await engine.shutdown()
    }

    // (The time limit: without its CPU timer the worker would spin until the hour is up.)
    @Test(.timeLimit(.minutes(2))) func spinningPageUsesUpItsCPUTime() async throws {
        // A page that never stops using CPU is ended by the worker's own CPU timer: the
        // watchdog is an hour, so nothing else could end it. The page sent with it is sent
        // again alone to a fresh worker and parses.
        let engine = try processEngine(workers: 1, timeout: 0.5, watchdog: 3600, testHooks: true)
        let url = NormalizedURL("http://spin.test/")!
        let jobs = [ParseJob(url: url, body: Array("<a href=/a>".utf8), testFault: .spin), ParseJob(url: url, body: Array("<a href=/b>".utf8))]
        let results = await parseAll(jobs, with: engine)
        #expect(results[0] == .failure(.timeout(url: "http://spin.test/", seconds: 0.5)))
        #expect((try? results[1].get())?.links.map(\.target.path) == ["/b"])
        // Once with its batch, once alone: two workers ended by their timers.
        #expect(engine.currentStatistics.workersLost == 2)
        await engine.shutdown()
    }

    @Test func hangingPageIsStoppedByTheWatchdog() async throws {
        // A page that sleeps uses no CPU time, so its timer never fires: the parent's
        // wall-clock watchdog (3 s of silence; seconds, for a loaded machine) kills the worker.
        // The page sent with it is sent again alone to a fresh worker and parses.
        let engine = try processEngine(workers: 1, timeout: 10, watchdog: 3, testHooks: true)
        let url = NormalizedURL("http://hang.test/")!
        let jobs = [ParseJob(url: url, body: Array("<a href=/a>".utf8), testFault: .hang), ParseJob(url: url, body: Array("<a href=/b>".utf8))]
        let results = await parseAll(jobs, with: engine)
        #expect(results[0] == .failure(.timeout(url: "http://hang.test/", seconds: 10)))
        #expect((try? results[1].get())?.links.map(\.target.path) == ["/b"])
        await engine.shutdown()
    }

    @Test func memoryHogIsStoppedByTheLimit() async throws {
        let engine = try processEngine(workers: 1, testHooks: true, memoryLimit: 768)
        let url = NormalizedURL("http://hog.test/")!
        let jobs = [ParseJob(url: url, body: Array("<a href=/a>".utf8), testFault: .exhaustMemory), ParseJob(url: url, body: Array("<a href=/b>".utf8))]
        let results = await parseAll(jobs, with: engine)
        #expect(results[0] == .failure(.memoryLimit(url: "http://hog.test/", megabytes: 768)))
        #expect((try? results[1].get())?.links.map(\.target.path) == ["/b"])
        await engine.shutdown()
    }

    @Test func testFaultsAreIgnoredWithoutTheFlag() async throws {
        let engine = try processEngine(workers: 1, testHooks: false)
        let job = ParseJob(url: NormalizedURL("http://x.test/")!, body: Array("<a href=/a>".utf8), testFault: .crash)
        #expect((try? await engine.parse(job).get())?.links.count == 1)
        await engine.shutdown()
    }

    /// Tasks that prefer the drivers' executor get the same pages, and get them on a driver
    /// thread: resumed where the answer was read, not on Swift's global pool.
    @Test func tasksOnTheDriversExecutorGetTheirPagesThere() async throws {
        let jobs = mixedJobs()
        let expected = await parseAll(jobs, with: InlineParseEngine(options: options(.inline)))
        let engine = try processEngine(workers: 2)
        let executor = try #require(engine.preferredTaskExecutor)
        #expect(await parseAll(jobs, with: engine, on: executor) == expected)
        let onDrivers = await withTaskGroup(of: Bool.self) { group in
            for job in jobs.prefix(20) {
                group.addTask(executorPreference: executor) {
                    _ = await engine.parse(job)
                    return engine.executor.currentLocal != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(onDrivers == Array(repeating: true, count: 20))
        await engine.shutdown()
        // After shutdown a task that still prefers the executor runs (on Dispatch's threads),
        // and its parse is refused with a clear error.
        let late = await Task(executorPreference: executor) { await engine.parse(jobs[0]) }.value
        guard case .failure(.workerCrashed(_, let reason)) = late else {
            Issue.record("expected a refusal after shutdown, got \(late)")
            return
        }
        #expect(reason.contains("shut down"))
    }

    /// A driver isolating a suspect sends nothing else until that page is settled, so it must
    /// not take new pages meanwhile: queued after the first timeout, every page is parsed by
    /// the other driver before the hanging page is given up for good.
    @Test func pagesQueuedDuringIsolationDoNotWaitForTheSuspect() async throws {
        let jobs = ParseCorpus.generated(pageCount: 40, averageBytes: 12_000, seed: 7).jobs
        // 40 small pages take a fraction of a second; the watchdog is seconds so that they are
        // parsed well within it on a loaded machine too.
        let engine = try processEngine(workers: 2, watchdog: 3, testHooks: true)
        // Every task here prefers the drivers' executor: it runs, and its events are logged,
        // on a driver thread the moment its page is answered, not whenever the cooperative
        // pool has a thread free (other tests' sync work can hold both for seconds).
        let executor = try #require(engine.preferredTaskExecutor)
        _ = await parseAll(Array(jobs.prefix(4)), with: engine, on: executor)  // both workers up
        let events = EventLog()
        let hang = ParseJob(url: NormalizedURL("http://hang.test/")!, body: Array("<a href=/a>".utf8), testFault: .hang)
        let hung = Task(executorPreference: executor) {
            let result = await engine.parse(hang)
            events.append("hang")
            return result
        }
        let results = try await Task(executorPreference: executor) {
            // The first timeout: the page is now a suspect, alone on a fresh worker.
            for _ in 0..<1200 where engine.currentStatistics.workersLost == 0 { try await Task.sleep(for: .milliseconds(50)) }
            try #require(engine.currentStatistics.workersLost == 1)
            return await withTaskGroup(of: Bool.self) { group in
                for job in jobs {
                    group.addTask(executorPreference: executor) {
                        let parsed = (try? await engine.parse(job).get()) != nil
                        events.append("page")
                        return parsed
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
        }.value
        guard case .failure(.timeout) = await hung.value else {
            Issue.record("the hanging page was not timed out")
            return
        }
        #expect(results == Array(repeating: true, count: jobs.count))
        #expect(events.entries == Array(repeating: "page", count: jobs.count) + ["hang"])
        await engine.shutdown()
    }

    /// A task on the drivers' executor that keeps its driver busy past the watchdog must
    /// not get a healthy worker killed: the driver reads what arrived meanwhile before it
    /// declares the worker hung.
    @Test func aDriverBusyWithATaskReadsBeforeItDeclaresAHang() async throws {
        let jobs = ParseCorpus.generated(pageCount: 60, averageBytes: 12_000, seed: 7).jobs
        // The worker answers each batch in milliseconds: a watchdog of seconds holds on a
        // loaded machine (0.3 s did not), and the driver is kept busy for twice that.
        let engine = try processEngine(workers: 1, watchdog: 2)
        let executor = try #require(engine.preferredTaskExecutor)
        _ = await parseAll(Array(jobs.prefix(2)), with: engine, on: executor)  // worker up
        let parsed = await withTaskGroup(of: Bool.self) { group in
            group.addTask(executorPreference: executor) {
                let page = (try? await engine.parse(jobs[0]).get()) != nil
                let until = ContinuousClock.now + .seconds(2 * engine.configuration.effectiveWatchdogSeconds)
                while ContinuousClock.now < until {}  // CPU work on the driver, past the watchdog
                return page
            }
            for job in jobs.dropFirst() {
                group.addTask(executorPreference: executor) { (try? await engine.parse(job).get()) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(parsed == Array(repeating: true, count: jobs.count))
        #expect(engine.currentStatistics.workersLost == 0)
        await engine.shutdown()
    }

    @Test(arguments: [false, true]) func killingAWorkerMidRunLosesNothing(onDrivers: Bool) async throws {
        let jobs = ParseCorpus.generated(pageCount: 400, averageBytes: 20_000, seed: 3).jobs
        // A ring just big enough for a full batch of the largest page (the one that does not
        // fit at the ring's end goes to its start): bodies of the killed workers' pages left
        // in it would crowd later pages into the pipe.
        let inFlight = ProcessParseEngine.Configuration(options: ParseOptions()).maxInFlightPerWorker
        let largest = try #require(jobs.map(\.body.count).max())
        let engine = try processEngine(workers: 2, sharedBodyBytes: (inFlight + 2) * (largest + BodyRing.alignment))
        let expected = await parseAll(jobs, with: InlineParseEngine(options: ParseOptions()))
        // Kill both workers as soon as both have started, from a plain thread watching the
        // engine. Each driver sets its pages as sent before it writes them, so a worker killed
        // at any moment after it starts has unanswered pages, and with 400 pages queued the
        // run is far from over. (Deciding in the loop that collects the answers was not enough:
        // on a loaded machine that task can be scheduled only after every page is parsed, and
        // then it kills idle workers nobody misses.) Killing a replacement too could fail a
        // page twice, which is the recorded-failure case above.
        let killedPIDs = Mutex<[pid_t]>([])
        Thread {
            for _ in 0..<20_000 {
                let pids = engine.workerProcessIDs
                if pids.count == 2 {
                    for pid in pids { kill(pid, SIGKILL) }
                    killedPIDs.withLock { $0 = pids }
                    return
                }
                usleep(500)
            }
        }.start()
        let received = await parseAll(jobs, with: engine, on: onDrivers ? engine.preferredTaskExecutor : nil)
        let killed = killedPIDs.withLock { $0 }
        #expect(killed.count == 2, "both workers were seen running")
        #expect(received.count == jobs.count)
        #expect(received == expected)
        #expect(engine.currentStatistics.workersLost == 2)
        // Every page each worker had been sent and had not answered went again.
        #expect((2...(2 * engine.configuration.maxInFlightPerWorker)).contains(engine.currentStatistics.retries))
        #expect(engine.currentStatistics.pipedBodies == 0, "the lost workers' bodies were freed with them")
        await engine.shutdown()
        #expect(engine.workerProcessIDs.isEmpty)
    }

    @Test func missingExecutableIsAClearError() {
        var configuration = ProcessParseEngine.Configuration(options: ParseOptions())
        configuration.executablePath = "/nonexistent/crawler"
        #expect(throws: (any Error).self) { try ProcessParseEngine(configuration) }
    }
}

/// What happened, in order, from any task.
final class EventLog: Sendable {
    private let log = Mutex<[String]>([])
    func append(_ event: String) { log.withLock { $0.append(event) } }
    var entries: [String] { log.withLock { $0 } }
}
