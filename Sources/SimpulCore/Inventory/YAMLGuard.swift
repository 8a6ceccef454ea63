import Foundation
import Yams
// libyaml, the parser under Yams. Yams keeps its event stream to itself, so the guard reads the
// same events through the same C library (a module of the Yams package, built and linked with it)
// before Yams composes a tree: one cheap, linear pass that sees aliases, anchors and keys as the
// composer will.
internal import CYaml

/// Checks a YAML text before Yams composes it, so that a small hostile file cannot hang an import:
/// Yams compares mapping keys by hashing them whole, and an alias used as a key stands for its
/// whole anchor, so nested alias keys cost ten times more at every level (a 400-byte file took
/// minutes). Refused here, each with its line:
/// - a file over `Limits.yamlFileBytes`;
/// - an alias (`*name`), a list or a mapping used as a key, or a key over `Limits.yamlKey` characters;
/// - nesting deeper than `Limits.yamlDepth`;
/// - aliases that stand for more than `Limits.yamlAliasNodes` values in all ("billion laughs");
/// - an alias to an anchor not (yet) defined, and more than one document in a file;
/// - a key given twice in one mapping, at the second one's line, with its field;
/// - anything libyaml cannot parse, with its line and a short excerpt of it, never the whole file.
enum YAMLGuard {
    static func check(_ text: String, file: String) -> [InventoryIssue] {
        let size = text.utf8.count
        if size > Limits.yamlFileBytes { return [YAMLFile.tooLarge(size, file: file)] }
        if size == 0 { return [] }
        var scan = Scan(file: file)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { scan.run($0) }
        return scan.issues
    }

    /// What is open while the events are read: one frame per list or mapping.
    private struct Frame {
        var isMapping: Bool
        /// Path of this collection in the reader's words (`agencies[3].contact`); "" at the top.
        var path: String
        /// Its anchor, to record its size when it closes.
        var anchor: String?
        /// Nodes counted before it opened.
        var nodesBefore: Int
        /// Mappings: whether the next node is a key, the key whose value comes next, keys seen.
        var expectingKey = true
        var key = ""
        var keys: [String: Int] = [:]
        /// Lists: the next item's index.
        var index = 0
    }

    private struct Scan {
        let file: String
        var issues: [InventoryIssue] = []
        var frames: [Frame] = []
        /// Nodes so far, aliases counted as the nodes they stand for.
        var nodes = 0
        /// Nodes that aliases stood for, added up.
        var aliased = 0
        /// Size of each anchored node, once it is complete.
        var anchors: [String: Int] = [:]
        var documents = 0

        init(file: String) { self.file = file }

        mutating func refuse(_ line: Int, _ field: String, _ text: Text) {
            issues.append(InventoryIssue(location: SourceLocation(file: file, line: line), field: field.isEmpty ? "(yaml)" : field, text: text))
        }

        mutating func run(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                refuse(1, "", Text(id: "YAML tidak dapat dibaca: memori habis", en: "the YAML cannot be parsed: out of memory"))
                return
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    syntaxError(parser, UnsafeBufferPointer(buffer))
                    return
                }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        refuse(line, "", Text(id: "satu berkas hanya boleh berisi satu dokumen YAML; hapus \"---\" kedua atau bagi berkasnya",
                                              en: "a file may hold one YAML document only; remove the second \"---\" or split the file"))
                        return
                    }
                case YAML_ALIAS_EVENT:
                    let name = Self.string(event.data.alias.anchor) ?? ""
                    guard let field = enter(line, asKey: Self.aliasKey(name)) else { return }
                    guard let size = anchors[name] else {
                        refuse(line, field, Text(id: "alias *\(Excerpt.of(name)) menunjuk jangkar yang belum ada; tulis &\(Excerpt.of(name)) lebih dulu",
                                                 en: "alias *\(Excerpt.of(name)) refers to an anchor that is not defined before it; write &\(Excerpt.of(name)) first"))
                        return
                    }
                    aliased += size
                    if aliased > Limits.yamlAliasNodes {
                        refuse(line, field, Text(
                            id: "alias (*nama) di berkas ini mewakili lebih dari \(Limits.yamlAliasNodes) nilai; kurangi alias atau tulis nilainya langsung",
                            en: "the aliases (*name) in this file stand for more than \(Limits.yamlAliasNodes) values; use fewer aliases or write the values out"))
                        return
                    }
                    nodes += size
                    leave()
                case YAML_SCALAR_EVENT:
                    let anchor = Self.string(event.data.scalar.anchor)
                    if let frame = frames.last, frame.isMapping, frame.expectingKey {
                        let key = String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length), as: UTF8.self)
                        nodes += 1
                        guard takeKey(key, line) else { return }
                    } else {
                        guard enter(line, asKey: Self.collectionKey) != nil else { return }
                        nodes += 1
                        leave()
                    }
                    if let anchor { anchors[anchor] = 1 }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    let anchor = Self.string(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
                    guard let field = enter(line, asKey: Self.collectionKey) else { return }
                    if frames.count >= Limits.yamlDepth {
                        refuse(line, field, Self.tooDeep)
                        return
                    }
                    nodes += 1
                    frames.append(Frame(isMapping: isMapping, path: field, anchor: anchor, nodesBefore: nodes - 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let frame = frames.popLast() else { return }
                    if let anchor = frame.anchor { anchors[anchor] = nodes - frame.nodesBefore }
                    leave()
                default:
                    break
                }
            }
        }

        static let tooDeep = Text(id: "bersarang terlalu dalam: paling dalam \(Limits.yamlDepth) tingkat daftar/pemetaan",
                                  en: "nested too deeply: at most \(Limits.yamlDepth) levels of lists and mappings")

        static let collectionKey = Text(id: "kunci harus berupa teks biasa, bukan daftar atau pemetaan",
                                        en: "a key must be plain text, not a list or a mapping")

        static func aliasKey(_ name: String) -> Text {
            Text(id: "alias *\(Excerpt.of(name)) tidak boleh dipakai sebagai kunci; tulis nama kolomnya",
                 en: "an alias (*\(Excerpt.of(name))) may not be used as a key; write the field's name")
        }

        /// A node other than a scalar key starts: its field path, or nil (with `refusal`) when it
        /// stands where a key should.
        mutating func enter(_ line: Int, asKey refusal: Text) -> String? {
            guard var frame = frames.popLast() else { return "" }
            defer { frames.append(frame) }
            if frame.isMapping {
                if frame.expectingKey {
                    refuse(line, frame.path, refusal)
                    return nil
                }
                return frame.path.isEmpty ? frame.key : "\(frame.path).\(frame.key)"
            }
            frame.index += 1
            return "\(frame.path)[\(frame.index - 1)]"
        }

        /// A node is complete: the mapping that holds it waits for its next key.
        mutating func leave() {
            if let last = frames.indices.last, frames[last].isMapping { frames[last].expectingKey = true }
        }

        /// A scalar key in the innermost mapping.
        mutating func takeKey(_ key: String, _ line: Int) -> Bool {
            let last = frames.count - 1
            let path = frames[last].path
            let field = path.isEmpty ? Excerpt.of(key) : "\(path).\(Excerpt.of(key))"
            if key.count > Limits.yamlKey {
                refuse(line, field, Text(id: "kunci terlalu panjang: paling banyak \(Limits.yamlKey) karakter",
                                         en: "the key is too long: at most \(Limits.yamlKey) characters"))
                return false
            }
            if let first = frames[last].keys[key] {
                refuse(line, field, Text(id: "kunci \"\(Excerpt.of(key))\" sudah ditulis di baris \(first) dalam pemetaan yang sama; tulis sekali saja",
                                         en: "the key \"\(Excerpt.of(key))\" is already given at line \(first) in the same mapping; give it once"))
            } else {
                frames[last].keys[key] = line
            }
            frames[last].key = key
            frames[last].expectingKey = false
            return true
        }

        mutating func syntaxError(_ parser: yaml_parser_t, _ bytes: UnsafeBufferPointer<UInt8>) {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
            let context = parser.context.map { String(cString: $0) + ", " } ?? ""
            var line = Int(parser.problem_mark.line) + 1
            var column = Int(parser.problem_mark.column) + 1
            if parser.error == YAML_READER_ERROR {
                // Reader errors carry a byte offset, not a mark.
                let offset = min(Int(parser.problem_offset), bytes.count)
                let before = bytes[..<offset]
                line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            }
            if problem.contains("nesting level") {
                // libyaml's own bound (1000 levels), met before any event when the lists are in flow style.
                refuse(line, "", Self.tooDeep)
                return
            }
            let near = YAMLErrors.excerpt(bytes, line: line, column: column)
            refuse(line, "", Text(id: "YAML tidak dapat dibaca: \(context)\(problem) (baris \(line), kolom \(column))\(near.map { "; di dekat \"\($0)\"" } ?? "")",
                                  en: "the YAML cannot be parsed: \(context)\(problem) (line \(line), column \(column))\(near.map { "; near \"\($0)\"" } ?? "")"))
        }

        static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}

/// Yams' own errors, said without the whole file: Yams puts the entire text into some of them
/// (a duplicate key's error held a 20 MB file).
enum YAMLErrors {
    /// The line and a bounded message for an error Yams threw on `text`.
    static func describe(_ error: any Error, in text: String) -> (line: Int, text: Text) {
        let bytes = Array(text.utf8)
        func said(_ line: Int, _ column: Int, _ problem: String) -> (line: Int, text: Text) {
            let near = bytes.withUnsafeBufferPointer { excerpt($0, line: line, column: column) }
            return (line, Text(id: "YAML tidak dapat dibaca: \(Excerpt.of(problem, length: 200)) (baris \(line))\(near.map { "; di dekat \"\($0)\"" } ?? "")",
                               en: "the YAML cannot be parsed: \(Excerpt.of(problem, length: 200)) (line \(line))\(near.map { "; near \"\($0)\"" } ?? "")"))
        }
        guard let error = error as? YamlError else { return said(1, 1, "\(type(of: error))") }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return said(mark.line, mark.column, (context.map { "\($0.text), " } ?? "") + problem)
        case .reader(let problem, let offset, _, _):
            let index = offset.flatMap { text.index(text.startIndex, offsetBy: $0, limitedBy: text.endIndex) } ?? text.startIndex
            let line = text[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            return said(line, 1, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.prefix(3).map { "\"\(Excerpt.of($0))\"" }.joined(separator: ", ")
            return said(context.mark.line, context.mark.column, "duplicated key(s) \(keys)")
        default:
            return said(1, 1, Excerpt.of(String(describing: error), length: 200))
        }
    }

    /// At most `Limits.excerpt` characters of line `line` of `bytes`, around `column` (1-based,
    /// in characters); nil for an empty line.
    static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, column: Int) -> String? {
        var start = 0
        var current = 1
        while current < line, start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: 0x0A) else { return nil }
            start = newline + 1
            current += 1
        }
        // Never more of the line than reaches past the column: not the whole of a 20 MB line.
        let skip = max(0, column - 1 - Limits.excerpt / 2)
        let window = min(bytes.count - start, (skip + Limits.excerpt + 1) * 4)
        let end = bytes[start..<(start + window)].firstIndex(of: 0x0A) ?? (start + window)
        let content = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        let shown = skip > 0 ? "…" + Excerpt.of(String(content.dropFirst(skip))) : Excerpt.of(content)
        let trimmed = shown.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "…" ? nil : trimmed
    }
}

/// One YAML file as a tree, once `YAMLGuard` has let it through.
enum YAMLDocument {
    enum Composed {
        /// Nothing but comments or blanks.
        case empty
        case root(Node)
        /// The reasons are in the log.
        case failed
    }

    static func compose(_ text: String, file: String, log: IssueLog) -> Composed {
        let refused = YAMLGuard.check(text, file: file)
        if !refused.isEmpty {
            for issue in refused { log.add(issue.location, issue.field, issue.text) }
            return .failed
        }
        do {
            guard let root = try Yams.compose(yaml: text) else { return .empty }
            return .root(root)
        } catch {
            let (line, message) = YAMLErrors.describe(error, in: text)
            log.add(SourceLocation(file: file, line: line), "(yaml)", message)
            return .failed
        }
    }
}
