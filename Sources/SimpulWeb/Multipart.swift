import Foundation
import Hummingbird

/// A `multipart/form-data` body (RFC 7578): the forms that upload files (a step's photo or
/// attachment). Hummingbird reads only urlencoded forms; this reads the rest, carefully:
/// the body is collected up to `maxBody`, and a body that breaks the format is refused whole.
struct Multipart: Sendable {
    /// One part: a typed-in field, or a file when the part names a `filename`.
    struct Part: Sendable, Equatable {
        var name: String
        /// The browser's file name (may be empty when the file input was left empty); nil for a plain field.
        var fileName: String?
        var contentType: String?
        var data: [UInt8]

        var isFile: Bool { fileName != nil }
        var text: String { String(decoding: data, as: UTF8.self) }
    }

    /// Why a body was refused.
    struct Malformed: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    var parts: [Part]

    /// Collected bodies above this are refused with 413: one 10 MB file, its form and the framing.
    static let maxBody = 11 * 1024 * 1024
    /// More parts than any Simpul form has is not a form of ours.
    static let maxParts = 64
    /// A part's header block longer than this is refused.
    static let maxHeaderBytes = 8 * 1024

    /// The `boundary` parameter of a `multipart/form-data` content type, or nil when the type is
    /// something else or the boundary is not 1–70 characters as RFC 2046 allows.
    static func boundary(contentType: String?) -> String? {
        guard let contentType else { return nil }
        let fields = HeaderValue(contentType)
        guard fields.value.lowercased() == "multipart/form-data", let boundary = fields.parameters["boundary"],
              (1...70).contains(boundary.utf8.count), !boundary.hasSuffix(" "),
              boundary.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return boundary
    }

    /// Splits `body` into its parts.
    init(body: [UInt8], boundary: String) throws {
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // The first boundary: at the very start, or after a preamble that ends in CRLF.
        var position: Int
        if Self.hasPrefix(body, dashBoundary, at: 0) {
            position = dashBoundary.count
        } else if let found = Self.find(delimiter, in: body, from: 0) {
            position = found + delimiter.count
        } else {
            throw Malformed(description: "no opening boundary")
        }
        var parts: [Part] = []
        while true {
            // After a boundary: `--` closes the body; otherwise optional padding, then CRLF.
            if Self.hasPrefix(body, Array("--".utf8), at: position) { break }
            while position < body.count, body[position] == 0x20 || body[position] == 0x09 { position += 1 }
            guard Self.hasPrefix(body, [0x0D, 0x0A], at: position) else { throw Malformed(description: "boundary not followed by CRLF") }
            position += 2
            guard parts.count < Self.maxParts else { throw Malformed(description: "more than \(Self.maxParts) parts") }
            // Headers, up to an empty line. A part may have none (then the empty line comes at once).
            let headerEnd: Int
            if Self.hasPrefix(body, [0x0D, 0x0A], at: position) {
                headerEnd = position
            } else {
                guard let end = Self.find(Array("\r\n\r\n".utf8), in: body, from: position, within: Self.maxHeaderBytes) else {
                    throw Malformed(description: "part headers do not end")
                }
                headerEnd = end + 2
            }
            let headers = try Self.headers(body[position..<headerEnd])
            position = headerEnd + 2
            guard let end = Self.find(delimiter, in: body, from: position) else { throw Malformed(description: "part does not end with a boundary") }
            guard let disposition = headers["content-disposition"] else { throw Malformed(description: "part without Content-Disposition") }
            let value = HeaderValue(disposition)
            guard value.value.lowercased() == "form-data", let name = value.parameters["name"] else {
                throw Malformed(description: "part is not form-data with a name")
            }
            let fileName = value.parameters["filename*"].flatMap(Self.extendedValue) ?? value.parameters["filename"]
            parts.append(Part(name: name, fileName: fileName, contentType: headers["content-type"], data: Array(body[position..<end])))
            position = end + delimiter.count
        }
        self.parts = parts
    }

    /// The typed-in fields, in order, as a form.
    var fields: FormData { FormData(fields: parts.filter { !$0.isFile }.map { ($0.name, $0.text) }) }

    /// The files that were chosen (an empty file input sends a part with no name and no bytes).
    var files: [Part] { parts.filter { $0.isFile && !($0.fileName ?? "").isEmpty && !$0.data.isEmpty } }

    // MARK: Parsing helpers

    /// `Name: value` lines, names lowercased; a folded or nameless line is refused.
    static func headers(_ block: ArraySlice<UInt8>) throws -> [String: String] {
        var result: [String: String] = [:]
        let text = String(decoding: block, as: UTF8.self)
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex, !line.hasPrefix(" "), !line.hasPrefix("\t") else {
                throw Malformed(description: "bad part header line")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            result[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    /// RFC 5987 `UTF-8''name%20here`; nil for another charset or a bad escape.
    static func extendedValue(_ text: String) -> String? {
        let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return String(parts[2]).removingPercentEncoding
    }

    static func hasPrefix(_ body: [UInt8], _ prefix: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= body.count else { return false }
        for offset in prefix.indices where body[index + offset] != prefix[offset] { return false }
        return true
    }

    /// The first index of `needle` in `body` at or after `start` (within `limit` bytes of it, if given).
    static func find(_ needle: [UInt8], in body: [UInt8], from start: Int, within limit: Int? = nil) -> Int? {
        guard let first = needle.first else { return start }
        let last = min(body.count - needle.count, limit.map { start + $0 } ?? Int.max)
        guard start <= last else { return nil }
        return body.withUnsafeBufferPointer { bytes -> Int? in
            var index = start
            while index <= last {
                // Jump to the next candidate first byte, then compare the rest.
                guard let hit = bytes[index...last].firstIndex(of: first) else { return nil }
                var matched = true
                for offset in 1..<needle.count where bytes[hit + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return hit }
                index = hit + 1
            }
            return nil
        }
    }
}

/// A header value with `; name=value` parameters (quoted strings unescaped), as in
/// `Content-Type` and `Content-Disposition`. Parameter names are lowercased.
struct HeaderValue: Equatable {
    var value: String
    var parameters: [String: String]

    init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func skipSpace() { while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 } }
        var head = ""
        while index < scalars.count, scalars[index] != ";" { head.unicodeScalars.append(scalars[index]); index += 1 }
        value = head.trimmingCharacters(in: .whitespaces)
        parameters = [:]
        while index < scalars.count {
            index += 1  // the ';'
            skipSpace()
            var name = ""
            while index < scalars.count, scalars[index] != "=", scalars[index] != ";" { name.unicodeScalars.append(scalars[index]); index += 1 }
            name = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard index < scalars.count, scalars[index] == "=" else { continue }
            index += 1
            skipSpace()
            var parameter = ""
            if index < scalars.count, scalars[index] == "\"" {
                index += 1
                while index < scalars.count, scalars[index] != "\"" {
                    // A backslash escapes the next character (browsers send %22 instead, which stays as sent).
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    parameter.unicodeScalars.append(scalars[index])
                    index += 1
                }
                index += 1  // the closing quote
                while index < scalars.count, scalars[index] != ";" { index += 1 }
            } else {
                while index < scalars.count, scalars[index] != ";" { parameter.unicodeScalars.append(scalars[index]); index += 1 }
                parameter = parameter.trimmingCharacters(in: .whitespaces)
            }
            if !name.isEmpty, parameters[name] == nil { parameters[name] = parameter }
        }
    }
}

/// Reads a request's `multipart/form-data` body within `Multipart.maxBody`.
enum MultipartReader {
    static func isMultipart(_ request: Request) -> Bool {
        request.headers[.contentType].map { HeaderValue($0).value.lowercased() == "multipart/form-data" } ?? false
    }

    static func read(_ request: Request) async throws -> Multipart {
        guard let boundary = Multipart.boundary(contentType: request.headers[.contentType]) else {
            throw WebRefusal.badMultipart
        }
        let body = try await BodyReader.collect(request, upTo: Multipart.maxBody)
        do {
            return try Multipart(body: body, boundary: boundary)
        } catch is Multipart.Malformed {
            throw WebRefusal.badMultipart
        }
    }
}

/// Collects a request body up to a limit. A body over the limit is still read (and dropped)
/// up to `drainLimit`, so that the browser, which sends all of it before it reads the answer,
/// gets the 413 page instead of a connection that hangs.
enum BodyReader {
    static let drainLimit = 64 * 1024 * 1024

    static func collect(_ request: Request, upTo limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > drainLimit {
            throw WebRefusal.uploadTooLarge
        }
        var bytes: [UInt8] = []
        var total = 0
        for try await chunk in request.body {
            total += chunk.readableBytes
            if total > limit {
                if total > drainLimit { break }
                continue
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        guard total <= limit else { throw WebRefusal.uploadTooLarge }
        return bytes
    }
}
