import Foundation
import Mustache
import SimpulCore
import SimpulStore

/// Message templates the office edits (`MessageTemplate`): read, checked and saved, and rendered
/// with swift-mustache as plain text. A template that names a placeholder its message does not
/// have, or that does not parse, is refused when it is saved, with the names it may use.
public struct TemplateService: Sendable {
    let simpul: Simpul

    /// A template as in force: the office's text, or the shipped one.
    public struct InForce: Sendable {
        public var template: MessageTemplate
        public var edited: TemplateStore.Saved?
    }

    public func template(_ name: String, by principal: Principal) throws -> InForce {
        try principal.require(.viewEstate)
        guard let shipped = MessageTemplate.named(name) else { throw Self.unknown(name) }
        return try simpul.database.read { r in try Self.inForce(r, shipped) }
    }

    public func list(by principal: Principal) throws -> [InForce] {
        try principal.require(.viewEstate)
        return try simpul.database.read { r in try MessageTemplate.all.map { try Self.inForce(r, $0) } }
    }

    static func inForce(_ reader: Reader, _ shipped: MessageTemplate) throws -> InForce {
        guard let saved = try TemplateStore.saved(reader, name: shipped.name) else { return InForce(template: shipped, edited: nil) }
        var template = shipped
        template.subject = saved.subject
        template.body = saved.body
        return InForce(template: template, edited: saved)
    }

    /// Saves the office's text (checked first); `nil` body goes back to the shipped text.
    public func save(_ name: String, subject: String, body: String?, by principal: Principal) throws -> InForce {
        guard principal.role == .admin || principal.role == .head || principal.role == .supervisor else {
            throw ServiceError(.forbidden, Text(id: "templat pesan diubah oleh admin, kepala dinas atau kepala bidang/seksi",
                                                en: "message templates are edited by an admin, the head or a supervisor"))
        }
        guard let shipped = MessageTemplate.named(name) else { throw Self.unknown(name) }
        try ServiceError.limit(subject, Text(id: "subjek", en: "the subject"), 500)
        try ServiceError.limit(body, Text(id: "isi templat", en: "the template's text"), 20_000)
        if let body {
            guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ServiceError(.invalid, Text(id: "isi templat tidak boleh kosong", en: "the template's text cannot be empty"))
            }
            try Self.check(subject, shipped, part: Text(id: "subjek", en: "the subject"))
            try Self.check(body, shipped, part: Text(id: "isi", en: "the text"))
        }
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            if let body {
                try TemplateStore.save(tx, name: name, subject: subject, body: body)
                try tx.audit("template.save", "template", name, after: ["subject": subject, "body": body])
            } else {
                try TemplateStore.remove(tx, name: name)
                try tx.audit("template.reset", "template", name)
            }
        }
        return try template(name, by: principal)
    }

    /// Refuses text that does not parse or names a placeholder the message does not have.
    static func check(_ text: String, _ template: MessageTemplate, part: Text) throws {
        let parsed: MustacheTemplate
        do { parsed = try MustacheTemplate(string: text) } catch {
            throw ServiceError(.invalid, Text(id: "\(part.id) templat tidak terbaca: \(error)", en: "\(part.en) of the template does not parse: \(error)"))
        }
        let recorder = Recorder(known: template.placeholderNames)
        _ = parsed.render(recorder)
        if let unknown = recorder.unknown.sorted().first {
            let names = template.placeholders.map(\.name).joined(separator: ", ")
            throw ServiceError(.invalid, Text(id: "\(part.id) memakai {{\(unknown)}}, yang tidak dikenal; yang boleh: \(names)",
                                              en: "\(part.en) uses {{\(unknown)}}, which is not known; those allowed: \(names)"))
        }
    }

    /// Answers every known name with an empty string and notes the others.
    final class Recorder: MustacheParent, @unchecked Sendable {
        let known: Set<String>
        var unknown: Set<String> = []
        init(known: Set<String>) { self.known = known }
        func child(named name: String) -> Any? {
            if !known.contains(name) && name != "." { unknown.insert(name) }
            return ""
        }
    }

    /// Renders a template in force as plain text (no HTML escaping).
    static func render(_ text: String, _ values: [String: String]) -> String {
        guard let template = try? MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text) else { return text }
        return template.render(values)
    }

    static func unknown(_ name: String) -> ServiceError {
        ServiceError(.notFound, Text(id: "templat \"\(name)\" tidak ada; yang ada: \(MessageTemplate.all.map(\.name).joined(separator: ", "))",
                                     en: "template \"\(name)\" does not exist; there are: \(MessageTemplate.all.map(\.name).joined(separator: ", "))"))
    }
}

extension Simpul {
    public var templates: TemplateService { TemplateService(simpul: self) }
}
