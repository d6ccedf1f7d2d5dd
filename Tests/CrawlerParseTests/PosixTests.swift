import CrawlerSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import CrawlerParse

/// `Posix`: every call retries EINTR and throws one `SystemCallError` naming the call and its
/// errno; the errors built on it (`SpawnError`, `WireFormatError`) keep that cause.
@Suite struct PosixTests {
    /// A fake system call: fails with each of `errors` in turn (-1 and errno set), then
    /// returns `result`; counts its calls.
    final class FakeCall {
        var errors: [Int32]
        let result: Int
        private(set) var calls = 0
        init(failingWith errors: [Int32], then result: Int) {
            self.errors = errors
            self.result = result
        }
        func callAsFunction() -> Int {
            calls += 1
            guard !errors.isEmpty else { return result }
            errno = errors.removeFirst()
            return -1
        }
    }

    @Test func aCallInterruptedBySignalsIsRetried() throws {
        let call = FakeCall(failingWith: [EINTR, EINTR, EINTR], then: 7)
        #expect(try Posix.retryingInterrupts("fake") { call() } == 7)
        #expect(call.calls == 4)
    }

    @Test func aFailedCallThrowsItsNameAndErrnoAndIsNotRetried() throws {
        let call = FakeCall(failingWith: [EINTR, EBADF], then: 7)
        let error = try #require(throws: SystemCallError.self) { try Posix.retryingInterrupts("fake") { call() } }
        #expect(error == SystemCallError(call: "fake", errno: EBADF))
        #expect(call.calls == 2)
    }

    @Test func wouldBlockIsAnAnswerOnlyForNonBlockingCalls() throws {
        let nonBlocking = FakeCall(failingWith: [EINTR, EAGAIN], then: 7)
        guard case .wouldBlock = try Posix.retryingInterruptsNonBlocking("fake", { nonBlocking() }) else {
            Issue.record("EAGAIN was not .wouldBlock")
            return
        }
        #expect(nonBlocking.calls == 2)
        let blocking = FakeCall(failingWith: [EAGAIN], then: 7)
        let error = try #require(throws: SystemCallError.self) { try Posix.retryingInterrupts("fake") { blocking() } }
        #expect(error.errno == EAGAIN)
    }

    @Test func callsThatReturnTheirErrorNumberThrowIt() throws {
        let error = try #require(throws: SystemCallError.self) { try Posix.checkingReturnedError("pthread_fake") { ENOMEM } }
        #expect(error == SystemCallError(call: "pthread_fake", errno: ENOMEM))
        try Posix.checkingReturnedError("pthread_fake") { 0 }
    }

    @Test func theMessageSaysTheCallTheReasonAndTheNumber() {
        #expect(SystemCallError(call: "pipe2", errno: EMFILE).description == "pipe2 failed: Too many open files (errno 24)")
        #expect(SystemCallError(call: "pipe2", errno: EMFILE).reason == "Too many open files")
    }

    @Test func realCallsReportTheirOwnNames() throws {
        let missing = try #require(throws: SystemCallError.self) { try Posix.open("/nonexistent-\(getpid())/x", flags: O_RDONLY) }
        #expect(missing == SystemCallError(call: "open", errno: ENOENT))
        let pipe = try Posix.pipe()
        close(pipe.read)
        close(pipe.write)
        var byte: UInt8 = 0
        let closed = try #require(throws: SystemCallError.self) { try Posix.read(pipe.read, into: &byte, count: 1) }
        #expect(closed == SystemCallError(call: "read", errno: EBADF))
        let notAFile = try #require(throws: SystemCallError.self) { try Posix.fstat(-1) }
        #expect(notAFile == SystemCallError(call: "fstat", errno: EBADF))
    }

    @Test func aPipeCarriesBytesAndAnEmptyNonBlockingOneWouldBlock() throws {
        let pipe = try Posix.pipe()
        defer { close(pipe.read); close(pipe.write) }
        #expect(fcntl(pipe.read, F_GETFD) & FD_CLOEXEC != 0, "pipe ends must be close-on-exec")
        try Posix.setNonBlocking(pipe.read)
        var byte: UInt8 = 0
        guard case .wouldBlock = try Posix.read(pipe.read, into: &byte, count: 1) else {
            Issue.record("an empty non-blocking pipe did not say it would block")
            return
        }
        var entry = pollfd(fd: pipe.read, events: Int16(POLLIN), revents: 0)
        #expect(try Posix.poll(&entry, timeout: 0) == 0)
        var sent: UInt8 = 42
        guard case .processed(1) = try Posix.write(pipe.write, from: &sent, count: 1) else {
            Issue.record("the byte was not written")
            return
        }
        #expect(try Posix.poll(&entry, timeout: 0) == 1)
        guard case .processed(1) = try Posix.read(pipe.read, into: &byte, count: 1) else {
            Issue.record("the byte was not read")
            return
        }
        #expect(byte == 42)
    }

    @Test func spawnErrorsKeepTheFailedCallAndSayWhatToDo() throws {
        let error = SpawnError("cannot create the pipes to a parse worker", cause: SystemCallError(call: "pipe2", errno: EMFILE))
        #expect(error.errno == EMFILE)
        #expect(error.description == "cannot create the pipes to a parse worker: pipe2 failed: Too many open files (errno 24); raise the open-file limit (ulimit -n) or run fewer parse workers")
        #expect(SpawnError("no worker").description == "no worker")
        #expect(SpawnError("no worker").errno == nil)

        let missing = "/nonexistent-\(getpid())/crawler"
        let spawnError = try #require(throws: SpawnError.self) { try WorkerProcess.spawn(executable: missing, arguments: []) }
        #expect(spawnError.cause == SystemCallError(call: "posix_spawn", errno: ENOENT))
        #expect(spawnError.description.hasPrefix("cannot start the parse worker \(missing): posix_spawn failed: No such file or directory (errno 2)"))
    }

    @Test func wireFormatErrorsReadAsBeforeAndKeepTheirCause() {
        #expect(WireFormatError(description: "frame ends early").description == "frame ends early")
        let mapping = WireFormatError(description: "cannot map the shared body ring", cause: SystemCallError(call: "mmap", errno: ENOMEM))
        #expect(mapping.description == "cannot map the shared body ring: mmap failed: Cannot allocate memory (errno 12)")
        #expect(mapping.cause?.errno == ENOMEM)
    }

    @Test func theSharedBodyRingNamesTheCallThatFailed() throws {
        let error = try #require(throws: WireFormatError.self) { try SharedBodies(descriptor: -1) }
        #expect(error.cause == SystemCallError(call: "fstat", errno: EBADF))
    }
}
