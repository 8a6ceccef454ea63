import Foundation
import Glibc
import Testing
import SimpulPDF

/// The PDF renderer against Debian's real headless Chromium. Nothing here leaves loopback: the
/// only listener is on 127.0.0.1, and the renderer refuses every request a page makes.
@Suite("PDF renderer (headless Chromium)", .serialized, .timeLimit(.minutes(3)))
struct PDFRendererTests {
    static let letterNumber = "800/DKISP/12/XII/2026"
    static let sentence = "Dengan ini menugaskan teknisi untuk memperbaiki jaringan kantor kecamatan."

    /// A one-page letter as Simpul writes them: inline CSS, its own margins through @page.
    static func letter(extra: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="id"><head><meta charset="utf-8"><title>Surat Perintah Tugas</title>
        <style>
          @page { size: A4; margin: 20mm 25mm; }
          body { font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; }
          h1 { text-align: center; font-size: 14pt; margin: 0; }
          .nomor { text-align: center; margin-bottom: 12pt; }
          .kop { border-bottom: 3px double #000; background: #eef; padding: 6pt; }
        </style></head>
        <body>
          <div class="kop">PEMERINTAH KABUPATEN CONTOH — DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN</div>
          <h1>SURAT PERINTAH TUGAS</h1>
          <p class="nomor">Nomor: \(letterNumber)</p>
          <p>\(sentence)</p>
          <p>Demikian surat perintah tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab.</p>
          \(extra)
        </body></html>
        """
    }

    @Test func aLetterBecomesAnA4PDFWithItsText() async throws {
        let renderer = try await ChromiumRenderer.start(timeout: .seconds(30))
        let pdf = try await renderer.pdf(html: Self.letter(), timeout: .seconds(20))
        // A page that names no size of its own gets the renderer's A4 paper.
        let bare = try await renderer.pdf(html: "<!DOCTYPE html><p>Nomor: \(Self.letterNumber)</p>", timeout: .seconds(20))
        await renderer.shutdown()

        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let text = try Poppler.run("pdftotext", ["-layout", "-", "-"], input: pdf)
        #expect(text.contains("SURAT PERINTAH TUGAS"))
        #expect(text.contains("Nomor: \(Self.letterNumber)"))
        // pdftotext -layout keeps a line as printed; the sentence may wrap, so compare words.
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains(Self.sentence))
        let info = try Poppler.run("pdfinfo", ["-"], input: pdf)
        #expect(info.contains("Pages:") && info.contains(" 1\n"), "one page: \(info)")
        Self.expectA4(info)
        Self.expectA4(try Poppler.run("pdfinfo", ["-"], input: bare))
    }

    /// pdfinfo's `Page size: 594.96 x 841.92 pts (A4)`: A4 is 595.28 x 841.89 pt, within a point
    /// (Chromium rounds the page to whole CSS pixels).
    static func expectA4(_ info: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let line = info.split(separator: "\n").first { $0.hasPrefix("Page size:") } ?? ""
        let numbers = line.split(separator: " ").compactMap { Double($0) }
        #expect(numbers.count == 2, "no page size in: \(info)", sourceLocation: sourceLocation)
        guard numbers.count == 2 else { return }
        #expect(abs(numbers[0] - 595.28) < 1 && abs(numbers[1] - 841.89) < 1, "A4: \(line)", sourceLocation: sourceLocation)
    }

    @Test func twoLettersAtOnceBothPrint() async throws {
        let renderer = try await ChromiumRenderer.start(timeout: .seconds(30))
        async let first = renderer.pdf(html: Self.letter(extra: "<p>Lampiran satu</p>"), timeout: .seconds(20))
        async let second = renderer.pdf(html: Self.letter(extra: "<p>Lampiran dua</p>"), timeout: .seconds(20))
        let (one, two) = try await (first, second)
        await renderer.shutdown()
        #expect(try Poppler.run("pdftotext", ["-", "-"], input: one).contains("Lampiran satu"))
        #expect(try Poppler.run("pdftotext", ["-", "-"], input: two).contains("Lampiran dua"))
    }

    @Test func aPageNeverReachesTheNetwork() async throws {
        let listener = try AcceptCounter()
        defer { listener.stop() }
        let url = "http://127.0.0.1:\(listener.port)"
        let renderer = try await ChromiumRenderer.start(timeout: .seconds(30))
        // The listener (opened without close-on-exec, like many of a server's) did not go to Chromium.
        let pid = try #require(await renderer.processID)
        let held = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        let targets = held.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") }
        #expect(!targets.isEmpty, "Chromium's descriptors are readable")
        let inherited = targets.contains("socket:[\(listener.inode)]")
        #expect(!inherited, "Chromium inherited the server's listening socket")
        let before = await renderer.blockedRequests
        let pdf = try await renderer.pdf(html: Self.letter(extra: """
            <img src="\(url)/x.png" alt="">
            <div style="background-image: url('\(url)/bg.png'); height: 10px"></div>
            <link rel="stylesheet" href="\(url)/style.css">
            <img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt="">
            """), timeout: .seconds(20))
        let blocked = await renderer.blockedRequests - before
        await renderer.shutdown()
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        #expect(blocked >= 2, "the page's requests were refused by Fetch.failRequest")
        #expect(listener.connections() == 0, "Chromium connected to \(url)")
    }

    @Test func aMissingChromiumSaysWhatToInstall() async {
        let error = await #expect(throws: PDFRenderError.self) {
            _ = try await ChromiumRenderer.start(executable: "/nonexistent/chromium", timeout: .seconds(5))
        }
        #expect(error?.kind == .executableMissing)
        #expect(error?.text.en.contains("Chromium not found at /nonexistent/chromium: install Debian's chromium") == true)
        #expect(error?.text.id.contains("Chromium tidak ditemukan di /nonexistent/chromium") == true)
    }

    @Test func aChromiumThatExitsSaysItsStatusAndLastLines() async throws {
        let script = try Script("echo 'cannot open display: nothing here' >&2\nexit 3")
        defer { script.remove() }
        let error = await #expect(throws: PDFRenderError.self) {
            _ = try await ChromiumRenderer.start(executable: script.path, timeout: .seconds(10))
        }
        #expect(error?.kind == .exited)
        #expect(error?.text.en.contains("exit status 3") == true)
        #expect(error?.text.en.contains("cannot open display: nothing here") == true)
    }

    @Test func aChromiumThatNeverAnswersTimesOut() async throws {
        let script = try Script("exec sleep 60")
        defer { script.remove() }
        let began = ContinuousClock.now
        let error = await #expect(throws: PDFRenderError.self) {
            _ = try await ChromiumRenderer.start(executable: script.path, timeout: .milliseconds(500))
        }
        #expect(error?.kind == .timeout)
        #expect(ContinuousClock.now - began < .seconds(5), "the deadline and the kill, not the sleep")
    }

    @Test func aKilledChromiumIsStartedAgainByTheNextLetter() async throws {
        let renderer = try await ChromiumRenderer.start(timeout: .seconds(30))
        let first = try #require(await renderer.processID)
        #expect(kill(first, SIGKILL) == 0)
        let pdf = try await renderer.pdf(html: Self.letter(), timeout: .seconds(30))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let second = try #require(await renderer.processID)
        #expect(second != first)
        #expect(await renderer.restarts == 1)
        // And a second letter goes to the new Chromium without another start.
        _ = try await renderer.pdf(html: Self.letter(), timeout: .seconds(20))
        #expect(await renderer.processID == second)
        await renderer.shutdown()
        #expect(await renderer.processID == nil)
        #expect(kill(first, 0) == -1 && errno == ESRCH, "the killed Chromium was reaped")
        #expect(kill(second, 0) == -1 && errno == ESRCH, "shutdown stopped and reaped Chromium")
        let error = await #expect(throws: PDFRenderError.self) {
            _ = try await renderer.pdf(html: Self.letter(), timeout: .seconds(5))
        }
        #expect(error?.kind == .shutDown)
    }

    /// Not a check on time (the machine may be busy): prints the figures for the record.
    @Test func timesOfFiftyLetters() async throws {
        let renderer = try await ChromiumRenderer.start(timeout: .seconds(30))
        let startup = await renderer.startupMilliseconds
        var times: [Double] = []
        for _ in 0..<50 {
            let began = ContinuousClock.now
            let pdf = try await renderer.pdf(html: Self.letter(), timeout: .seconds(20))
            let took = ContinuousClock.now - began
            times.append(Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15)
            #expect(pdf.starts(with: Array("%PDF-".utf8)))
        }
        await renderer.shutdown()
        times.sort()
        func percentile(_ p: Double) -> Double { times[min(times.count - 1, Int((p * Double(times.count)).rounded(.up)) - 1)] }
        print(String(format: "PDF renderer: start-up %.0f ms; 50 one-page letters: p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                     startup, percentile(0.50), percentile(0.99), times.last!))
    }
}

/// poppler-utils' command-line tools, fed a PDF on stdin.
private enum Poppler {
    static func run(_ tool: String, _ arguments: [String], input: Data) throws -> String {
        let path = "/usr/bin/\(tool)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record("\(path) is missing: install poppler-utils (apt-get install poppler-utils; make test installs it)")
            throw PDFTestError("\(tool) missing")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // Written from another thread: a big PDF would fill the pipe while we read nothing.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PDFTestError("\(tool) exited with \(process.terminationStatus)") }
        return String(decoding: output, as: UTF8.self)
    }
}

private struct PDFTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A TCP listener on 127.0.0.1 at a port the kernel picks that counts the connections made to it.
private final class AcceptCounter: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    /// The socket's inode, as /proc/PID/fd shows it (`socket:[inode]`).
    var inode: UInt {
        var status = stat()
        fstat(fd, &status)
        return UInt(status.st_ino)
    }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PDFTestError("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw PDFTestError("bind/listen: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// The connections waiting in the accept queue (the kernel completes them without us).
    func connections() -> Int {
        var count = 0
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return count }
            close(client)
            count += 1
        }
    }

    func stop() { close(fd) }
}

/// A shell script standing in for Chromium, in a temporary file.
private struct Script {
    let path: String

    /// Written through a close-on-exec descriptor: Foundation's atomic write opens its file with
    /// mkstemp, which is inherited by any process another test spawns meanwhile (named, snmpd, a
    /// Chromium), and a script still open for writing somewhere cannot be run (ETXTBSY).
    init(_ body: String) throws {
        path = NSTemporaryDirectory() + "/simpul-fake-chromium-\(UUID().uuidString).sh"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o700)
        guard fd >= 0 else { throw PDFTestError("open \(path): \(errno)") }
        defer { close(fd) }
        let bytes = Array(("#!/bin/sh\n" + body + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw PDFTestError("write \(path): \(errno)") }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
