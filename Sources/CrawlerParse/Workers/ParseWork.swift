import CrawlerCore

extension ProcessParseEngine {
    /// One page on its way through the process engine, with the continuation of the task
    /// that waits for it.
    final class Work: @unchecked Sendable {
        // @unchecked: a Work is owned by one party at a time, which alone touches its `var`s:
        // the queue until a driver takes it (the queue's lock orders that hand-off), then that
        // driver until it resumes the continuation and drops it.
        let job: ParseJob
        let continuation: CheckedContinuation<Result<ParsedPage, ParseError>, Never>
        /// Only a round trip: the worker answers without parsing (measures the pipes).
        let echoOnly: Bool
        /// Whether its body was put in the slot's `BodyRing` when it was sent (so answering it
        /// frees the ring's oldest body).
        var inRing = false
        /// The id of the request frame last sent for it (answers come back in order, with it).
        var wireID: UInt32 = 0
        /// The head of that frame (the body follows it). The frame goes down the pipe by
        /// `vmsplice`, which hands the pipe these very bytes, so they are kept, unchanged, until
        /// the worker has read them: until the page is answered or the worker is gone.
        var frameHead: [UInt8] = []
        init(job: ParseJob, echoOnly: Bool = false, continuation: CheckedContinuation<Result<ParsedPage, ParseError>, Never>) {
            self.job = job
            self.echoOnly = echoOnly
            self.continuation = continuation
        }
    }
}
