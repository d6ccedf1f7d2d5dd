import CrawlerCore
import CrawlerSystem
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The parent's side of one worker slot, run on its own thread: feeds the worker, reads its
/// answers in order, and replaces it when it dies or hangs.
struct WorkerDriver {
    let engine: ProcessParseEngine
    let slot: Int
    var worker: WorkerProcess?
    /// Shared memory for the bodies in flight, kept across workers; nil if the configuration
    /// or the system has none.
    let ring: BodyRing?
    /// This driver's side of the executor: the jobs of tasks resumed here.
    let local: DriverExecutor.Local
    /// The pages given to this slot and what it decides about them (`WorkerSlotState`).
    var slotState: WorkerSlotState<ProcessParseEngine.Work>
    /// Request frames not yet (completely) written to the worker.
    var output = PendingWrites()
    var decoder = FrameDecoder()
    /// The answers `deliverAnswers` decoded, until it resumes their callers (kept to reuse
    /// its storage).
    var answered: [(work: ProcessParseEngine.Work, result: Result<ParsedPage, ParseError>)] = []
    var nextID: UInt32 = 0

    init(engine: ProcessParseEngine, slot: Int) {
        self.engine = engine
        self.slot = slot
        local = DriverExecutor.Local(slot: slot)
        slotState = WorkerSlotState(capacity: engine.configuration.maxInFlightPerWorker, now: .now)
        let bytes = engine.configuration.sharedBodyBytes
        do {
            ring = bytes > 0 ? try BodyRing(capacity: bytes) : nil
        } catch {
            ProcessParseEngine.logger.notice("parse bodies go down the pipes: \(error)")
            ring = nil
        }
    }

    var configuration: ProcessParseEngine.Configuration { engine.configuration }

    /// Pages this driver can take now: none while it isolates a suspect (it sends nothing
    /// else until that page is settled, so pages it took would wait for that while another
    /// driver idles).
    var room: Int { slotState.room }

    mutating func run() {
        let executor = engine.executor
        executor.register(local)
        defer {
            executor.unregister(local)
            if let worker {
                // EOF on stdin: the worker exits on its own.
                _ = worker.end(force: false)
                engine.setWorker(nil, slot: slot)
            }
            engine.driverFinished()
        }
        while true {
            // The tasks resumed here last round (and any sent to the executor from elsewhere)
            // run now; most ask for their next page, which lands in the queue.
            let ran = executor.runPending(local)
            let room = room
            if room > 0 {
                // Near the end of a run the drivers share what is left rather than one taking a
                // whole batch while another idles.
                let taken = engine.queue.take(limit: room, wait: false, sharers: configuration.workers) ?? []
                slotState.take(taken, now: .now)
            }
            // Pages the tasks run here asked for and this driver has no room for: another may.
            // (Only after running tasks, so two drivers never wake each other back and forth.)
            if ran > 0, engine.queue.count > 0 { executor.wakeWanting(except: slot) }
            if slotState.isEmpty {
                if !local.jobs.isEmpty { continue }
                if engine.queue.isFinished { return }
                waitForWake()
                continue
            }
            if worker == nil, !startWorker() { continue }
            encodeUnsent()
            pollOnce()
        }
    }

    /// Sleeps until this driver is woken: a page was queued or a task was sent to the executor.
    func waitForWake() {
        guard announceRoom() else { return }
        var entry = pollfd(fd: engine.executor.wakeDescriptors[slot], events: Int16(POLLIN), revents: 0)
        if let ready = try? Posix.poll(&entry, timeout: -1), ready > 0 { Posix.drainEventfd(entry.fd) }
        engine.executor.setWantsWork(false, slot: slot)
    }

    /// Before sleeping with room for pages: says so, then looks at the queue one last time.
    /// False (and nothing said) if a page is there already: take it instead of sleeping.
    func announceRoom() -> Bool {
        engine.executor.setWantsWork(true, slot: slot)
        if engine.queue.count > 0 {
            engine.executor.setWantsWork(false, slot: slot)
            return false
        }
        return true
    }

    /// Starts a worker; if that fails, fails every job in flight (retrying would spin).
    mutating func startWorker() -> Bool {
        do {
            var settings = configuration.worker
            settings.bodyRingDescriptor = ring == nil ? nil : WorkerProcess.bodyRingDescriptor
            settings.cpuTimeoutSeconds = configuration.timeoutSeconds
            let started = try WorkerProcess.spawn(executable: configuration.executablePath, arguments: configuration.subcommand + settings.arguments, bodyRing: ring?.descriptor)
            worker = started
            engine.setWorker(started.pid, slot: slot)
            engine.record { $0.workersStarted += 1 }
            slotState.workerStarted(now: .now)
            output.removeAll()
            ring?.reset()
            decoder = FrameDecoder()
            return true
        } catch {
            for work in slotState.removeAll() {
                work.continuation.resume(returning: .failure(.workerCrashed(url: work.job.url.string, reason: "\(error)")))
            }
            return false
        }
    }

    /// Writes requests for the jobs not sent yet; while a suspect of a lost worker is in
    /// flight, only one page at a time, so a second failure is pinned on the right page.
    mutating func encodeUnsent() {
        let pages = slotState.pagesToSend()
        guard !pages.isEmpty else { return }
        var shared = 0
        for work in pages {
            nextID &+= 1
            work.wireID = nextID
            let extent = ring?.store(work.job.body)
            work.inRing = extent != nil
            if extent != nil { shared += 1 }
            var writer = WireWriter()
            let request: WorkerRequest = work.echoOnly ? .echo(id: nextID, body: work.job.body) : .parse(id: nextID, job: work.job)
            let body = writer.writeExceptBody(request, sharedBody: extent)
            work.frameHead = writer.bytes
            output.append(writer.bytes)
            output.append(body)
        }
        let piped = pages.count - shared
        engine.record {
            $0.sharedBodies += shared
            $0.pipedBodies += piped
        }
    }

    mutating func pollOnce() {
        guard let worker else { return }
        let wantsWrite = !output.isEmpty
        let wake = engine.executor.wakeDescriptors[slot]
        var descriptors = [pollfd(fd: worker.responseFD, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        if wantsWrite { descriptors.append(pollfd(fd: worker.requestFD, events: Int16(POLLOUT), revents: 0)) }
        // The page's CPU time is the worker's to watch (its timer ends it); the parent only
        // watches for a worker that goes silent far longer than any page may run: the
        // watchdog counts wall-clock time from its last answer (or its ready frame).
        let deadline = slotState.deadline(watchdog: .seconds(configuration.effectiveWatchdogSeconds) + .milliseconds(configuration.worker.answerDelayMilliseconds))
        let remaining = ContinuousClock.now.duration(to: deadline)
        // Past the deadline, the worker is still read once before it is declared hung: the
        // driver may itself have been busy (running tasks) while the answers arrived.
        let overdue = remaining <= .zero
        var milliseconds = overdue ? 0 : Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
        if !local.jobs.isEmpty { milliseconds = 0 }  // tasks resumed here wait to run
        let announced = milliseconds > 0 && room > 0
        if announced, !announceRoom() { return }
        let polled = Result { () throws(SystemCallError) in try Posix.poll(&descriptors, timeout: milliseconds) }
        if announced { engine.executor.setWantsWork(false, slot: slot) }
        let ready: Int32
        switch polled {
        case .success(let count?): ready = count
        case .success(nil): return  // a signal: the deadline is recomputed next round
        case .failure:
            workerLost(force: true, timedOut: false)
            return
        }
        if overdue, descriptors[0].revents == 0 {
            workerLost(force: true, timedOut: true)
            return
        }
        if ready == 0 { return }  // the deadline is checked on the next round
        if descriptors[1].revents != 0 { Posix.drainEventfd(wake) }  // new work: seen next round
        if wantsWrite, descriptors[2].revents != 0 {
            // .wouldBlock: the pipe filled up again; the rest goes when poll says there is room.
            do {
                _ = try output.write(to: worker.requestFD)
            } catch {
                workerLost(force: true, timedOut: false)  // EPIPE: the worker is gone
                return
            }
        }
        if descriptors[0].revents != 0 {
            switch Result(catching: { () throws(SystemCallError) in try decoder.read(from: worker.responseFD) }) {
            case .success(.processed(0)), .failure: workerLost(force: true, timedOut: false)  // end of file: the worker is gone
            case .success(.processed): deliverAnswers()
            case .success(.wouldBlock): break
            }
        }
    }

    /// Decodes every answer read so far, then resumes their callers together: resumed one by
    /// one between decodes, each caller's task ran and its pool thread went back to sleep
    /// before the next, so every page cost a futex wake-up of the parent's CPU (the
    /// "Frame round trip" micro-benchmarks and `crawler bench-parse` show the difference).
    mutating func deliverAnswers() {
        do {
            while let payload = try decoder.nextPayload() {
                let response = try WireReader.response(from: payload)
                if case .ready = response {
                    slotState.workerReady(now: .now)
                    continue
                }
                guard let head = slotState.oldestSent, response.id == head.wireID else {
                    throw WireFormatError(description: "an answer nobody asked for (id \(response.id))")
                }
                let result: Result<ParsedPage, ParseError>
                switch (response, head.echoOnly) {
                case (.parsed(_, let parsed), false): result = parsed
                case (.echoed, true): result = .success(ParsedPage(url: head.job.url))
                default: throw WireFormatError(description: "an answer of the wrong kind")
                }
                // The worker has read the whole request (it answered it): its spliced pages
                // may now change, so the job can go.
                _ = slotState.answered(now: .now)
                if head.inRing { ring?.releaseOldest() }
                answered.append((head, result))
            }
        } catch {
            ProcessParseEngine.logger.warning("parse worker \(worker?.pid ?? 0) sent a malformed frame (\(error)); replacing it")
            workerLost(force: true, timedOut: false)
        }
        for (work, result) in answered { work.continuation.resume(returning: result) }
        answered.removeAll(keepingCapacity: true)
    }

    /// The worker died, hung or misbehaved: reap it. Every page it had been sent and had not
    /// answered is a suspect and is sent again, alone, to a fresh worker; a page that was
    /// already a suspect (so was alone on the worker) is recorded as failed. Pages not yet
    /// sent are simply sent later.
    mutating func workerLost(force: Bool, timedOut: Bool) {
        guard let lost = worker else { return }
        let ending = lost.end(force: force)
        worker = nil
        engine.setWorker(nil, slot: slot)
        engine.record { $0.workersLost += 1 }
        output.removeAll()
        // The worker is reaped: nothing reads the ring now, and the suspects are sent again.
        ring?.reset()
        for entry in slotState.entries { entry.page.inRing = false }
        let loss = slotState.workerLost()
        if loss.retried > 0 { engine.record { $0.retries += loss.retried } }
        for work in loss.failed {
            let url = work.job.url.string
            let error: ParseError =
                if timedOut || ending.isParseTimeout {
                    .timeout(url: url, seconds: configuration.timeoutSeconds)
                } else if ending.isOutOfMemory {
                    .memoryLimit(url: url, megabytes: configuration.worker.memoryLimitMegabytes)
                } else {
                    .workerCrashed(url: url, reason: ending.reason)
                }
            work.continuation.resume(returning: .failure(error))
        }
    }
}
