import Foundation
import Glibc

/// Every C call of the renderer goes through here: the return code is checked, an interrupted
/// call is made again, and a failure becomes the errno to put in a ``PDFRenderError``.
enum SystemCall {
    struct Failure: Error {
        let call: String
        let errno: Int32
    }

    @discardableResult
    static func check<T: BinaryInteger>(_ call: String, _ body: () -> T) throws(Failure) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw Failure(call: call, errno: code)
        }
    }

    /// The posix_spawn family answers with the error number itself instead of -1 and errno.
    static func spawnCheck(_ call: String, _ body: () -> Int32) throws(Failure) {
        let code = body()
        if code != 0 { throw Failure(call: call, errno: code) }
    }

    /// `strerror` in the C locale's words.
    static func reason(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let result = buffer.withUnsafeMutableBufferPointer { strerror_r(code, $0.baseAddress!, $0.count) }
        guard result == 0 else { return "error \(code)" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// One running Chromium: its process (leader of a process group of its own, so its zygote and
/// renderers go with it), the DevTools pipe to it, and the temporary directory holding its profile
/// and what it writes on stderr. The reading thread reaps it when its pipe closes.
final class ChromiumProcess: @unchecked Sendable {
    let pid: pid_t
    let pipe: CDPPipe
    let directory: String
    private let lock = NSLock()
    private var exitStatus: String?
    /// Pages' requests refused so far (Fetch.requestPaused answered with failRequest).
    private var blocked = 0
    private var startup: Double = 0

    /// The flags Chromium runs with: headless, no sandbox (the server's user has no user namespaces
    /// to give it), nothing in the background that would reach the network, and no proxy or name
    /// lookups even if something tried: letters are self-contained, Chromium never needs the network.
    static func arguments(profile: String) -> [String] {
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
            "--user-data-dir=\(profile)", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", "--metrics-recording-only", "--mute-audio",
            "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND",
            "about:blank",
        ]
    }

    private init(pid: pid_t, pipe: CDPPipe, directory: String) {
        self.pid = pid
        self.pipe = pipe
        self.directory = directory
    }

    /// Whether the process has not been reaped yet.
    var isRunning: Bool { lock.withLock { exitStatus == nil } }

    var blockedRequests: Int { lock.withLock { blocked } }

    /// How long this process took to start and print its first page, in milliseconds.
    var startupMilliseconds: Double {
        get { lock.withLock { startup } }
        set { lock.withLock { startup = newValue } }
    }

    /// Starts `executable` with the DevTools pipe on fds 3 and 4.
    static func spawn(executable: String) throws(PDFRenderError) -> ChromiumProcess {
        guard access(executable, X_OK) == 0 else { throw .executableMissing(executable) }
        do {
            return try spawnChecked(executable: executable)
        } catch {
            if error.errno == ENOENT { throw .executableMissing(executable) }
            throw .cannotStart(executable, call: error.call, errno: error.errno)
        }
    }

    private static func spawnChecked(executable: String) throws(SystemCall.Failure) -> ChromiumProcess {
        var template = Array((NSTemporaryDirectory() + "/simpul-chromium-XXXXXX").utf8CString)
        try template.withUnsafeMutableBufferPointer { (buffer) throws(SystemCall.Failure) in
            guard mkdtemp(buffer.baseAddress!) != nil else { throw SystemCall.Failure(call: "mkdtemp", errno: errno) }
        }
        let directory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var spawned = false
        defer { if !spawned { try? FileManager.default.removeItem(atPath: directory) } }

        // toChromium: we write [1], Chromium reads [0] as fd 3. fromChromium: Chromium writes [1] as fd 4.
        let toChromium = try pipe(), fromChromium = try pipe()
        var closeAfterSpawn = [toChromium.read, fromChromium.write]
        defer { for fd in closeAfterSpawn { close(fd) } }
        var keep = [toChromium.write, fromChromium.read]
        defer { if !spawned { for fd in keep { close(fd) } } }

        var actions = posix_spawn_file_actions_t()
        try SystemCall.spawnCheck("posix_spawn_file_actions_init") { posix_spawn_file_actions_init(&actions) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        try SystemCall.spawnCheck("posix_spawn_file_actions_addopen(/dev/null)") {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        try SystemCall.spawnCheck("posix_spawn_file_actions_addopen(stderr.log)") {
            posix_spawn_file_actions_addopen(&actions, 2, directory + "/stderr.log", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        try SystemCall.spawnCheck("posix_spawn_file_actions_adddup2(1)") { posix_spawn_file_actions_adddup2(&actions, 2, 1) }
        try SystemCall.spawnCheck("posix_spawn_file_actions_adddup2(3)") { posix_spawn_file_actions_adddup2(&actions, toChromium.read, 3) }
        try SystemCall.spawnCheck("posix_spawn_file_actions_adddup2(4)") { posix_spawn_file_actions_adddup2(&actions, fromChromium.write, 4) }
        // Nothing else of the server's goes with it: a descriptor opened without close-on-exec (a
        // listening socket, a database) would otherwise stay open in Chromium for as long as it runs.
        try closeOthers(&actions)

        var attributes = posix_spawnattr_t()
        try SystemCall.spawnCheck("posix_spawnattr_init") { posix_spawnattr_init(&attributes) }
        defer { posix_spawnattr_destroy(&attributes) }
        // A process group of its own (killed together), default signal handling and an empty mask
        // whatever the server set up for itself.
        var defaults = sigset_t(), empty = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        sigemptyset(&empty)
        try SystemCall.spawnCheck("posix_spawnattr_setsigdefault") { posix_spawnattr_setsigdefault(&attributes, &defaults) }
        try SystemCall.spawnCheck("posix_spawnattr_setsigmask") { posix_spawnattr_setsigmask(&attributes, &empty) }
        try SystemCall.spawnCheck("posix_spawnattr_setpgroup") { posix_spawnattr_setpgroup(&attributes, 0) }
        try SystemCall.spawnCheck("posix_spawnattr_setflags") {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        }

        let argv = ([executable] + arguments(profile: directory + "/profile")).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        try SystemCall.spawnCheck("posix_spawn") { posix_spawn(&pid, executable, &actions, &attributes, argv, environ) }
        spawned = true
        for fd in closeAfterSpawn { close(fd) }
        closeAfterSpawn = []
        keep = []

        let processBox = ProcessBox()
        let pipe = CDPPipe(writeFD: toChromium.write, readFD: fromChromium.read) { method, params, sessionId in
            processBox.process?.handle(event: method, params: params, sessionId: sessionId)
        }
        let process = ChromiumProcess(pid: pid, pipe: pipe, directory: directory)
        processBox.process = process
        pipe.startReading { [process] in process.reap() }
        return process
    }

    /// Adds to `actions` the closing of every descriptor from 5 up in the child: glibc's
    /// posix_spawn_file_actions_addclosefrom_np (2.34 and later; Glibc's module does not show it, so
    /// it is looked up by name), else a close for each descriptor open now (from /proc/self/fd).
    private static func closeOthers(_ actions: inout posix_spawn_file_actions_t) throws(SystemCall.Failure) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            try SystemCall.spawnCheck("posix_spawn_file_actions_addclosefrom_np(5)") { closeFrom(&actions, 5) }
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 4 && fcntl(fd, F_GETFD) & FD_CLOEXEC == 0 {
            try SystemCall.spawnCheck("posix_spawn_file_actions_addclose(\(fd))") { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }

    /// A pipe whose ends are close-on-exec and numbered above 4, so that the child's dup2 onto
    /// fds 3 and 4 never lands on an end itself (dup2 onto the same fd keeps close-on-exec).
    /// Glibc's module does not show pipe2, so the ends are moved at once with F_DUPFD_CLOEXEC.
    private static func pipe() throws(SystemCall.Failure) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        try SystemCall.check("pipe") { Glibc.pipe(&fds) }
        defer { close(fds[0]); close(fds[1]) }
        let read = try SystemCall.check("fcntl(F_DUPFD_CLOEXEC)") { fcntl(fds[0], F_DUPFD_CLOEXEC, 5) }
        do {
            let write = try SystemCall.check("fcntl(F_DUPFD_CLOEXEC)") { fcntl(fds[1], F_DUPFD_CLOEXEC, 5) }
            return (read, write)
        } catch {
            close(read)
            throw error
        }
    }

    /// Refuses every request a page makes except for `data:` URLs: a letter is self-contained, and
    /// nothing it says may make the server connect anywhere. Runs on the reading thread.
    private func handle(event method: String, params: JSON, sessionId: String?) {
        guard method == "Fetch.requestPaused", let requestID = params["requestId"]?.string else { return }
        let url = params["request"]?["url"]?.string ?? ""
        if url.hasPrefix("data:") {
            pipe.notify("Fetch.continueRequest", ["requestId": .string(requestID)], session: sessionId)
        } else {
            lock.withLock { blocked += 1 }
            pipe.notify("Fetch.failRequest", ["requestId": .string(requestID), "errorReason": "BlockedByClient"], session: sessionId)
        }
    }

    /// Waits for the process (its pipe has closed) and says how it ended, with the last lines it
    /// wrote on stderr. Runs on the reading thread.
    ///
    /// It waits without reaping first: while the leader is a zombie its pid (and so its process
    /// group's id) cannot be given to another process, so what is left of the group (a zygote, a
    /// renderer) is killed then, and only then is the leader reaped. After that, nothing here
    /// signals that id again: it may belong to somebody else's process by now.
    private func reap() -> PDFRenderError {
        var info = siginfo_t()
        var waited: Int32
        repeat { waited = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) } while waited == -1 && errno == EINTR
        let words = lock.withLock { () -> String in
            var status: Int32 = 0
            var result: pid_t = -1
            if waited == 0 {
                kill(-pid, SIGKILL)
                repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
            }
            let words: String
            if result != pid {
                words = "status unknown"
            } else if status & 0x7f == 0 {
                words = "exit status \((status >> 8) & 0xff)"
            } else {
                words = "killed by signal \(status & 0x7f)"
            }
            exitStatus = words
            return words
        }
        pipe.closeWriting()
        return .exited(status: words, stderr: stderrTail())
    }

    /// The last lines Chromium wrote on stderr (at most `count`), each cut to 300 characters.
    func stderrTail(_ count: Int = 8) -> [String] {
        guard let data = FileManager.default.contents(atPath: directory + "/stderr.log") else { return [] }
        let text = String(decoding: data.suffix(16_384), as: UTF8.self)
        return text.split(separator: "\n").suffix(count).map { String($0.prefix(300)) }
    }

    /// Stops Chromium: SIGTERM, then SIGKILL to its whole process group after `grace`; waits for
    /// the reading thread to reap it (which kills what is left of the group), then removes the
    /// profile directory.
    func terminate(grace: Duration) async {
        if signal(SIGTERM) { await waitForExit(upTo: grace) }
        if signal(SIGKILL, group: true) { await waitForExit(upTo: .seconds(5)) }
        pipe.closeWriting()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// SIGKILL to the whole process group at once and the profile removed, without waiting (for
    /// a renderer dropped without ``ChromiumRenderer/shutdown()``); the reading thread still reaps it.
    func killNow() {
        signal(SIGKILL, group: true)
        pipe.closeWriting()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Sends `number` to the process (or its group) only while it is not reaped: the check and
    /// the kill hold the lock the reaping holds, so a pid that may have been given to another
    /// process since is never signalled. Whether it was sent.
    @discardableResult
    private func signal(_ number: Int32, group: Bool = false) -> Bool {
        lock.withLock {
            guard exitStatus == nil else { return false }
            kill(group ? -pid : pid, number)
            return true
        }
    }

    private func waitForExit(upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Lets the pipe's event handler reach the process created after it.
private final class ProcessBox: @unchecked Sendable {
    private let lock = NSLock()
    private weak var stored: ChromiumProcess?
    var process: ChromiumProcess? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
