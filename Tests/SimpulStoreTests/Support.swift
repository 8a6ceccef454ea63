import Foundation
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore

/// A fresh database in a temporary file, and the services over it with a fixed clock.
struct TestDistrict {
    let simpul: Simpul
    let path: String
    let cli = Principal.commandLine("test")

    static let inventoryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Inventory").standardized.path

    let clock: TestClock

    static let playbookFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Playbooks").standardized.path

    /// `dnsServer` replaces the example zones' server (127.0.0.1:5300) with a test's own named.
    init(importExample: Bool = true, loadPlaybooks: Bool = false, now: Date = Date(timeIntervalSince1970: 1_795_254_525),
         dns: (any DNSUpdater)? = nil, dnsServer: String? = nil, path: String? = nil) throws {
        self.path = path ?? NSTemporaryDirectory() + "simpul-test-\(UUID().uuidString).db"
        var settings = Simpul.Settings()
        settings.bcryptCost = 4
        let clock = TestClock(now)
        self.clock = clock
        simpul = Simpul(database: try AppDatabase.open(path: self.path), settings: settings, dns: dns, now: { clock.now })
        if importExample && path == nil {
            var documents = try InventoryService.documents(inDirectory: Self.inventoryFolder)
            if let dnsServer {
                for i in documents.indices { documents[i].text = documents[i].text.replacingOccurrences(of: "127.0.0.1:5300", with: dnsServer) }
            }
            try simpul.inventory.importDocuments(documents, by: cli)
        }
        if loadPlaybooks {
            try simpul.playbooks.load(try PlaybookService.documents(inDirectory: Self.playbookFolder), by: cli)
        }
    }

    func count(_ table: String) throws -> Int {
        try simpul.database.rawRead { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    func exampleDocuments() throws -> [InventoryDocument] {
        try InventoryService.documents(inDirectory: Self.inventoryFolder)
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
