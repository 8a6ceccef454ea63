import Foundation
import SimpulCore
import SimpulStore

/// Importing and exporting the estate as YAML.
public struct InventoryService: Sendable {
    let simpul: Simpul

    /// What an import did (or, with `dryRun`, would do).
    public struct Report: Sendable, Codable {
        public var dryRun: Bool
        public var sections: [InventoryChanges.Summary]
        public var districtChanged: Bool
        public var totalChanges: Int {
            sections.reduce(0) { $0 + $1.added.count + $1.changed.count + $1.removed.count } + (districtChanged ? 1 : 0)
        }
    }

    /// Validates the documents against themselves and the database, without writing.
    public func validate(_ documents: [InventoryDocument], prune: Bool = false) throws -> [InventoryIssue] {
        let (source, issues) = InventoryReader.read(documents)
        let current = try simpul.database.read { try InventoryStore.load($0) }
        let kept = Inventory.kept(current: current, desired: source.inventory, prune: prune)
        return issues + InventoryValidator.validate(source, kept: kept)
    }

    /// Validates everything, then applies all changes in one transaction with their audit rows.
    /// Throws `InventoryInvalid` (nothing written) when anything is wrong.
    @discardableResult
    ///
    /// With `prune`, rows absent from the files are deleted; a prune that would delete every row of
    /// a kind (all agencies, all links…) is refused unless `allowEmptyKind` says that is meant: an
    /// empty or wrong folder must not wipe the estate.
    public func importDocuments(_ documents: [InventoryDocument], by principal: Principal, dryRun: Bool = false, prune: Bool = false,
                                allowEmptyKind: Bool = false, files: [String: [UInt8]]? = nil) throws -> Report {
        try principal.require(.editInventory)
        let (source, yamlIssues) = InventoryReader.read(documents)
        let (logo, logoIssues) = Self.logo(source, files: files)
        let desired = source.inventory
        defer { simpul.officeZone.forget() }
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let current = try InventoryStore.load(tx)
            let kept = Inventory.kept(current: current, desired: desired, prune: prune)
            // A folder without the logo file (an export, which writes YAML only) keeps the logo stored before.
            let storedLogo = try InventoryStore.logo(tx)
            let missingLogoKept = logo == nil && !logoIssues.isEmpty && files?[source.district?.value.letters?.logo ?? ""] == nil
                && storedLogo != nil
            let readIssues = yamlIssues + (missingLogoKept ? [] : logoIssues)
            let issues = readIssues + InventoryValidator.validate(source, kept: kept)
            guard issues.isEmpty else { throw InventoryInvalid(issues: issues) }
            let changes = InventoryChanges(current: current, desired: desired, prune: prune)
            if prune && !allowEmptyKind { try Self.refuseEmptying(changes) }
            let orphaned = try Self.addressesLeftOut(tx, changes.pools) + Self.zonesStillInUse(tx, changes.zones)
            guard orphaned.isEmpty else { throw InventoryInvalid(issues: orphaned) }
            let report = Report(dryRun: dryRun, sections: changes.summary, districtChanged: changes.district != nil)
            if !dryRun && !changes.isEmpty {
                try InventoryStore.apply(changes, tx)
            }
            if !dryRun, let logo { try InventoryStore.saveLogo(tx, logo) }
            return report
        }
    }

    /// Refuses a prune that leaves a kind with no rows that had some: which kinds, how many rows,
    /// and how to say that it is meant.
    static func refuseEmptying(_ changes: InventoryChanges) throws {
        let emptied = changes.summary.filter { !$0.removed.isEmpty && $0.added.isEmpty && $0.changed.isEmpty && $0.unchanged == 0 }
        guard !emptied.isEmpty else { return }
        let list = emptied.map { "\($0.section) (\($0.removed.count))" }.joined(separator: ", ")
        throw ServiceError(.conflict, Text(
            id: "--prune akan menghapus semua baris dari: \(list); berkas tidak menyebut satu pun. Tidak ada yang ditulis. Periksa foldernya; bila memang ingin mengosongkan jenis ini, tambahkan --allow-empty-kind",
            en: "--prune would delete every row of: \(list); the files name none of them. Nothing was written. Check the folder; if emptying these kinds is meant, add --allow-empty-kind"))
    }

    /// A pool that is removed, or whose new prefix, gateway or reserved ranges would cover an address
    /// that is held or assigned, is refused: release the address first (`simpul ip release`).
    static func addressesLeftOut(_ reader: Reader, _ pools: SectionChanges<Pool>) throws -> [InventoryIssue] {
        var issues: [InventoryIssue] = []
        let changed = pools.changed.map { (name: $0.before.name, layout: Optional(PoolLayout($0.after))) }
        for (name, layout) in changed + pools.removed.map({ ($0.name, nil) }) {
            guard let row = try IPAMStore.pool(reader, name: name) else { continue }
            for allocation in try IPAMStore.allocations(reader, poolID: row.id) {
                let address = allocation.address
                let why: Text? = if let layout {
                    !layout.prefix.contains(address) ? Text(id: "di luar prefix baru \(layout.prefix)", en: "outside the new prefix \(layout.prefix)")
                        : layout.exclusion(of: address).map { Text(id: "kini \($0.text.id)", en: "now \($0.text.en)") }
                } else {
                    Text(id: "pool dihapus", en: "the pool is removed")
                }
                guard let why else { continue }
                issues.append(InventoryIssue(location: nil, field: "pools.\(name)", text: Text(
                    id: "alamat \(address) (\(allocation.state.rawValue), \(allocation.owner)) masih dipakai: \(why.id); lepaskan dulu dengan simpul ip release \(address)",
                    en: "address \(address) (\(allocation.state.rawValue), \(allocation.owner)) is still in use: \(why.en); release it first with simpul ip release \(address)")))
            }
        }
        return issues
    }

    /// A zone that still holds records, or change sets waiting for its server, may not be dropped by an import.
    static func zonesStillInUse(_ reader: Reader, _ zones: SectionChanges<Zone>) throws -> [InventoryIssue] {
        try zones.removed.compactMap { zone in
            guard try InventoryStore.zoneInUse(reader, name: zone.name) else { return nil }
            return InventoryIssue(location: nil, field: "zones.\(zone.name)", text: Text(
                id: "zona \(zone.name) masih memuat record atau perubahan yang menunggu; hapus record-nya dulu (simpul dns records \(zone.name)) atau biarkan zona di inventaris",
                en: "zone \(zone.name) still holds records or waiting changes; remove its records first (simpul dns records \(zone.name)) or keep the zone in the inventory"))
        }
    }

    /// The database as YAML documents that import back to the same state.
    public func export(by principal: Principal) throws -> [InventoryDocument] {
        try principal.require(.viewEstate)
        let inventory = try simpul.database.read { try InventoryStore.load($0) }
        return try InventoryWriter.documents(inventory)
    }

    /// The letterhead's logo the district names (`letters.logo`), from the files beside the YAML: a
    /// PNG, JPEG or SVG of at most `Limits.logoBytes`, decided from its bytes. `files` nil: the
    /// documents came without the files beside them (an export read back): the stored logo stays.
    static func logo(_ source: InventorySource, files: [String: [UInt8]]?) -> (StoredLogo?, [InventoryIssue]) {
        guard let files, let district = source.district, let name = district.value.letters?.logo else { return (nil, []) }
        func issue(_ text: Text) -> InventoryIssue { InventoryIssue(location: district.location, field: "district.letters.logo", text: text) }
        guard let bytes = files[name] else {
            return (nil, [issue(Text(id: "berkas logo \"\(Excerpt.of(name))\" tidak ada di samping berkas YAML (PNG, JPEG atau SVG, paling besar \(Limits.logoBytes / 1024) KB)",
                                     en: "the logo file \"\(Excerpt.of(name))\" is not beside the YAML files (PNG, JPEG or SVG, at most \(Limits.logoBytes / 1024) KB)"))])
        }
        guard let logo = StoredLogo(bytes) else {
            return (nil, [issue(Text(id: "berkas logo \"\(Excerpt.of(name))\" bukan gambar PNG, JPEG atau SVG, atau lebih dari \(Limits.logoBytes / 1024) KB",
                                     en: "the logo file \"\(Excerpt.of(name))\" is not a PNG, JPEG or SVG image, or is over \(Limits.logoBytes / 1024) KB"))])
        }
        return (logo, [])
    }

    /// The image files of a directory that a district may name as its logo (`*.png`, `*.jpg`,
    /// `*.jpeg`, `*.svg`), each read no further than `Limits.logoBytes` + 1 bytes.
    public static func files(inDirectory path: String) -> [String: [UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var files: [String: [UInt8]] = [:]
        for name in names where ["png", "jpg", "jpeg", "svg"].contains((name as NSString).pathExtension.lowercased()) {
            guard let handle = FileHandle(forReadingAtPath: (path as NSString).appendingPathComponent(name)) else { continue }
            defer { try? handle.close() }
            if let data = try? handle.read(upToCount: Limits.logoBytes + 1) { files[name] = [UInt8](data) }
        }
        return files
    }

    /// Reads every `*.yaml`/`*.yml` file of a directory, in name order. A file that cannot be read
    /// as YAML text — larger than `Limits.yamlFileBytes`, not UTF-8, a folder or a device with a
    /// YAML name — is an issue of `InventoryInvalid` (exit status 2), all of them at once; issues name
    /// files as `label` + their name (`calendar/holidays-2026.yaml`).
    public static func documents(inDirectory path: String, label: String = "",
                                 noun: InventoryInvalid.Noun = .inventory) throws -> [InventoryDocument] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ServiceError(.invalid, Text(id: "folder \"\(path)\" tidak ada", en: "the folder \"\(path)\" does not exist"))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        if names.isEmpty {
            throw ServiceError(.invalid, Text(id: "folder \"\(path)\" tidak berisi berkas .yaml", en: "the folder \"\(path)\" holds no .yaml files"))
        }
        var documents: [InventoryDocument] = []
        var issues: [InventoryIssue] = []
        for name in names {
            switch read((path as NSString).appendingPathComponent(name), as: label + name) {
            case .success(let document): documents.append(document)
            case .failure(let issue): issues.append(issue)
            }
        }
        guard issues.isEmpty else { throw InventoryInvalid(issues: issues, noun: noun) }
        return documents
    }

    /// One YAML file: a regular file (or a link to one) of at most `Limits.yamlFileBytes`, read no
    /// further than that, as UTF-8 text.
    static func read(_ path: String, as file: String) -> Result<InventoryDocument, InventoryIssue> {
        func issue(_ text: Text) -> InventoryIssue { InventoryIssue(location: nil, field: file, text: text) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            return .failure(issue(Text(id: "tidak dapat dibaca: \(reason)", en: "cannot be read: \(reason)")))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            return .failure(issue(Text(id: "adalah folder, bukan berkas YAML; sub-folder tidak dibaca: ganti namanya atau pindahkan",
                                       en: "is a folder, not a YAML file; sub-folders are not read: rename it or move it elsewhere")))
        default:
            return .failure(issue(Text(id: "bukan berkas biasa (perangkat, pipa atau soket); hanya berkas teks yang dibaca",
                                       en: "is not a regular file (a device, pipe or socket); only text files are read")))
        }
        if Int(info.st_size) > Limits.yamlFileBytes { return .failure(YAMLFile.tooLarge(Int(info.st_size), file: file)) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(issue(Text(id: "tidak dapat dibuka", en: "cannot be opened")))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte more than allowed: a file that grew since stat is still caught.
            data = try handle.read(upToCount: Limits.yamlFileBytes + 1) ?? Data()
        } catch {
            return .failure(issue(Text(id: "tidak dapat dibaca: \(error.localizedDescription)", en: "cannot be read: \(error.localizedDescription)")))
        }
        return YAMLFile.document([UInt8](data), file: file)
    }
}
