import Foundation
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore

/// A fresh database in a temporary file, and the services over it with a fixed clock. The file
/// (and its `-wal` and `-shm`) is removed when the last district on it is gone (`TemporaryDatabaseFile`).
struct TestDistrict {
    let simpul: Simpul
    let path: String
    let cli = Principal.commandLine("test")
    /// The folder `exampleDocuments()` reads: the one this district was imported from.
    let importedFrom: String
    /// The temporary file this district made, or the one of the district it reopened: held, so the
    /// file outlives every district on it.
    private let file: TemporaryDatabaseFile?

    /// The tests' own district and playbooks (`Tests/Fixtures`), not the demo's `Inventory/` and the
    /// office's `Playbooks/`: editing the demo or an SOP does not move a test about a rule.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures").standardized
    static let inventoryFolder = fixtures.appendingPathComponent("District").path
    static let playbookFolder = fixtures.appendingPathComponent("Playbooks").path

    /// The shipped files, only for the tests that are about them (`ShippedFilesTests`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let shippedInventoryFolder = repositoryRoot.appendingPathComponent("Inventory").path
    static let shippedPlaybookFolder = repositoryRoot.appendingPathComponent("Playbooks").path

    let clock: TestClock

    /// `dnsServer` replaces the example zones' server (127.0.0.1:5300) with a test's own named.
    /// `path` opens an existing file again (another district's, as a second process would), importing
    /// nothing. `inventory` and `playbooks` are for the tests about the shipped files.
    init(importExample: Bool = true, loadPlaybooks: Bool = false, now: Date = Date(timeIntervalSince1970: 1_795_254_525),
         dns: (any DNSUpdater)? = nil, dnsServer: String? = nil, path: String? = nil,
         inventory: String = Self.inventoryFolder, playbooks: String = Self.playbookFolder) throws {
        if let path {
            file = TemporaryDatabaseFile.holding(path)
            self.path = path
        } else {
            let made = TemporaryDatabaseFile()
            file = made
            self.path = made.path
        }
        importedFrom = inventory
        var settings = Simpul.Settings()
        settings.bcryptCost = 4
        // The tests' named shares two busy cores with every other test: a delivery made at once may
        // take longer than a person would be kept waiting (OutboxService.atOnceBudget).
        settings.atOnceBudget = .seconds(30)
        settings.attemptDeadline = .seconds(30)
        let clock = TestClock(now)
        self.clock = clock
        simpul = Simpul(database: try AppDatabase.open(path: self.path), settings: settings, dns: dns, now: { clock.now })
        if importExample && path == nil {
            var documents = try InventoryService.documents(inDirectory: inventory)
            if let dnsServer {
                for i in documents.indices { documents[i].text = documents[i].text.replacingOccurrences(of: "127.0.0.1:5300", with: dnsServer) }
            }
            try simpul.inventory.importDocuments(documents, by: cli, files: InventoryService.files(inDirectory: inventory))
        }
        if loadPlaybooks {
            try simpul.playbooks.load(try PlaybookService.documents(inDirectory: playbooks), by: cli)
        }
    }

    func count(_ table: String) throws -> Int {
        try simpul.database.rawRead { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    func exampleDocuments() throws -> [InventoryDocument] {
        try InventoryService.documents(inDirectory: importedFrom)
    }
}

/// A database file name in the temporary folder, removed with SQLite's `-wal`, `-shm` and `-journal`
/// files when the last `TestDistrict` holding it is released. A district that reopens the file by its
/// path holds it too; a test that opens it itself (`AppDatabase.open(path: district.path)`) keeps the
/// district alive until it is done.
final class TemporaryDatabaseFile: Sendable {
    let path = NSTemporaryDirectory() + "simpul-test-\(UUID().uuidString).db"

    init() { Self.live.add(self) }

    deinit {
        Self.live.remove(path)
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// The file at `path` if a district made it and still holds it; nil for a file a test made itself.
    static func holding(_ path: String) -> TemporaryDatabaseFile? { live.file(path) }

    private static let live = Registry()

    private final class Registry: @unchecked Sendable {
        private struct Weak { weak var file: TemporaryDatabaseFile? }
        private let lock = NSLock()
        private var files: [String: Weak] = [:]

        func add(_ file: TemporaryDatabaseFile) { lock.withLock { files[file.path] = Weak(file: file) } }
        func remove(_ path: String) { lock.withLock { _ = files.removeValue(forKey: path) } }
        func file(_ path: String) -> TemporaryDatabaseFile? { lock.withLock { files[path]?.file } }
    }
}

import GRDB

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }
}
