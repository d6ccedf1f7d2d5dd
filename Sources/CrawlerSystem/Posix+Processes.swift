import CCrawlerLinux

#if canImport(Glibc)
import Glibc
#endif

// Processes and threads: spawning and reaping, names, parent-death signals, CPU timers.
extension Posix {
    /// Exit status of a process whose thread CPU timer (`createThreadCPUTimer`) expired.
    public static let cpuTimeoutExitStatus: Int32 = CCL_EXIT_CPU_TIMEOUT

    /// posix_spawn_file_actions_addclosefrom_np(3): the child closes every descriptor
    /// >= `lowest` before exec.
    public static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, lowest: Int32) throws(SystemCallError) {
        try checkingReturnedError("posix_spawn_file_actions_addclosefrom_np") { ccl_spawn_file_actions_addclosefrom(&actions, lowest) }
    }

    /// posix_spawn(3) of `executable` with `arguments` (argv[0] included) and this process's
    /// environment: the child's pid.
    public static func spawn(
        _ executable: String, arguments: [String],
        fileActions: inout posix_spawn_file_actions_t, attributes: inout posix_spawnattr_t
    ) throws(SystemCallError) -> pid_t {
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        try checkingReturnedError("posix_spawn") { posix_spawn(&pid, executable, &fileActions, &attributes, argv, ccl_environ()) }
        return pid
    }

    /// waitpid(2) for `pid`, blocking: its raw wait status.
    public static func waitpid(_ pid: pid_t) throws(SystemCallError) -> Int32 {
        var status: Int32 = 0
        _ = try retryingInterrupts("waitpid") { Glibc.waitpid(pid, &status, 0) }
        return status
    }

    /// prctl(PR_SET_NAME): names the calling thread (15 bytes at most) for `top -H`, profilers
    /// and tests (Foundation's `Thread.name` does not reach the kernel on Linux).
    public static func setThreadName(_ name: String) throws(SystemCallError) {
        _ = try retryingInterrupts("prctl(PR_SET_NAME)") { ccl_set_thread_name(name) }
    }

    /// prctl(PR_SET_PDEATHSIG): the kernel sends `signal` to this process when its parent dies.
    public static func setParentDeathSignal(_ signal: Int32) throws(SystemCallError) {
        _ = try retryingInterrupts("prctl(PR_SET_PDEATHSIG)") { ccl_set_parent_death_signal(signal) }
    }

    /// A timer on the calling thread's CPU clock whose expiry ends the process with
    /// `cpuTimeoutExitStatus` (its SIGXCPU handler calls `_exit`). The kernel numbers timers
    /// from 0, which imports as a nil `timer_t`: nil is a valid timer here.
    public static func createThreadCPUTimer() throws(SystemCallError) -> timer_t? {
        var timer: timer_t?
        _ = try retryingInterrupts("timer_create") { ccl_cpu_timer_create(&timer) }
        return timer
    }

    /// Arms `timer` to expire after `nanoseconds` more CPU time of its thread; 0 disarms it.
    @inlinable
    public static func armThreadCPUTimer(_ timer: timer_t?, nanoseconds: Int64) throws(SystemCallError) {
        _ = try retryingInterrupts("timer_settime") { ccl_cpu_timer_arm(timer, nanoseconds) }
    }

    /// Test hook: uses `nanoseconds` of the calling thread's CPU time (forever if negative).
    public static func burnCPU(nanoseconds: Int64) {
        ccl_burn_cpu(nanoseconds)
    }
}
