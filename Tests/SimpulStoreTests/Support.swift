import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

/// A fresh database in a temporary file, and the services over it with a fixed clock.
struct TestDistrict {
    let simpul: Simpul
    let path: String
    let cli = Principal.commandLine("test")

    static let inventoryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Inventory").standardized.path

    init(importExample: Bool = true, now: Date = Date(timeIntervalSince1970: 1_795_254_525)) throws {
        path = NSTemporaryDirectory() + "simpul-test-\(UUID().uuidString).db"
        var settings = Simpul.Settings()
        settings.bcryptCost = 4
        simpul = Simpul(database: try AppDatabase.open(path: path), settings: settings, now: { now })
        if importExample {
            try simpul.inventory.importDocuments(try InventoryService.documents(inDirectory: Self.inventoryFolder), by: cli)
        }
    }

    func count(_ table: String) throws -> Int {
        try simpul.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    func exampleDocuments() throws -> [InventoryDocument] {
        try InventoryService.documents(inDirectory: Self.inventoryFolder)
    }
}

import GRDB
