import Foundation

/// The LAN module's letters: the approval letter (Surat Persetujuan), the work order (Surat
/// Perintah Tugas) and the completion report (Berita Acara). The first two are drafted at the
/// section's review, initialled along the paraf chain and signed by the head; the completion report
/// is issued when the installation is closed.
public enum LetterKind: String, Sendable, Hashable, Codable, CaseIterable {
    case approval
    case workOrder = "work_order"
    case completion

    public var title: Text {
        switch self {
        case .approval: Text(id: "Surat Persetujuan", en: "Approval letter")
        case .workOrder: Text(id: "Surat Perintah Tugas", en: "Work order")
        case .completion: Text(id: "Berita Acara Penyelesaian", en: "Completion report")
        }
    }

    /// The office-editable template of its text (`MessageTemplate`).
    public var template: MessageTemplate {
        switch self {
        case .approval: .lanApproval
        case .workOrder: .lanWorkOrder
        case .completion: .lanCompletion
        }
    }

    /// Drafted and initialled before it is signed (the completion report is issued at closing).
    public var needsParaf: Bool { self != .completion }

    /// The kinds the section drafts and the head signs together.
    public static let drafted: [LetterKind] = [.approval, .workOrder]

    /// The kind as typed on the command line: `approval`, `work-order` (or `work_order`), `completion`.
    public static func parse(_ text: String) -> LetterKind? {
        LetterKind(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    /// `surat-persetujuan`: the file name's stem.
    public var fileStem: String {
        switch self {
        case .approval: "surat-persetujuan"
        case .workOrder: "surat-perintah-tugas"
        case .completion: "berita-acara"
        }
    }
}
