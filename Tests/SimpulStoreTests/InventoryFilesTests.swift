import Foundation
import Testing
import SimpulCore
import SimpulServices

/// The files of an inventory or playbook folder that are not YAML text (issue 11, item 12): a
/// binary or non-UTF-8 file gave "is not UTF-8 text" with no line and exit status 1, a folder named
/// `sub.yaml` a raw Foundation error. Each is now an issue of `InventoryInvalid` (exit status 2)
/// with its file and, for text, its line.
@Suite("Inventory and playbook folders: files that are not YAML text")
struct InventoryFilesTests {
    static func folder(_ files: [String: [UInt8]]) throws -> String {
        let path = NSTemporaryDirectory() + "simpul-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: (path as NSString).appendingPathComponent(name)))
        }
        return path
    }

    @Test func aFileThatIsNotUTF8IsInvalidInputWithItsLine() throws {
        let path = try Self.folder(["agencies.yaml": Array("agencies:\n  - code: AB\n    name: caf".utf8) + [0xE9] + [0x0A],
                                    "good.yaml": Array("district:\n  name: Contoh\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try InventoryService.documents(inDirectory: path)
            Issue.record("read as text")
        } catch let invalid as InventoryInvalid {
            #expect(invalid.issues.count == 1)
            #expect(invalid.issues.first?.location == SourceLocation(file: "agencies.yaml", line: 3))
            #expect(invalid.issues.first?.text.en.contains("byte 0xE9 at line 3, byte 14 of that line") == true, "\(invalid.issues)")
        }
    }

    @Test func aFolderOrAPipeWithAYAMLNameIsReportedNotRead() throws {
        let path = try Self.folder(["good.yaml": Array("district:\n  name: Contoh\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: (path as NSString).appendingPathComponent("sub.yaml"), withIntermediateDirectories: false)
        #expect(mkfifo((path as NSString).appendingPathComponent("pipe.yaml"), 0o600) == 0)
        do {
            _ = try InventoryService.documents(inDirectory: path)
            Issue.record("a folder was read")
        } catch let invalid as InventoryInvalid {
            #expect(invalid.issues.map(\.field) == ["pipe.yaml", "sub.yaml"])
            #expect(invalid.issues.last?.text.en.contains("is a folder, not a YAML file") == true)
            #expect(invalid.issues.first?.text.en.contains("not a regular file") == true)
        }
    }

    @Test func aFileOverTheSizeLimitIsRefusedUnread() throws {
        let path = try Self.folder(["big.yaml": Array(repeating: 0x23, count: Limits.yamlFileBytes + 1)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try InventoryService.documents(inDirectory: path)
            Issue.record("read")
        } catch let invalid as InventoryInvalid {
            #expect(invalid.issues.first?.text.en.contains("at most \(Limits.yamlFileBytes) bytes") == true)
        }
    }

    @Test func playbookFoldersReportUnreadableFilesOfBothFolders() throws {
        let path = try Self.folder(["tiny.yaml": [0xFF, 0xFE, 0x61, 0x00]])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let calendar = (path as NSString).appendingPathComponent("calendar")
        try FileManager.default.createDirectory(atPath: calendar, withIntermediateDirectories: false)
        try Data([0x80]).write(to: URL(fileURLWithPath: (calendar as NSString).appendingPathComponent("holidays-2026.yaml")))
        do {
            _ = try PlaybookService.documents(inDirectory: path)
            Issue.record("read")
        } catch let invalid as InventoryInvalid {
            #expect(invalid.issues.compactMap(\.location?.file) == ["tiny.yaml", "calendar/holidays-2026.yaml"])
            #expect(invalid.issues.first?.text.en.contains("looks like UTF-16") == true)
            #expect(invalid.text.en.contains("playbooks"))
        }
    }

}
