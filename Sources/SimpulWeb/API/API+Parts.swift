import Foundation
import SimpulCore

/// `/parts`: the spare-parts stock as another system sees it. Times are stored UTC strings.
extension API {
    struct Part: Encodable, Sendable {
        var code: String
        var name: String
        var unit: String
        var quantity: Int
        var minimum: Int
        var location: String?
        /// Below its minimum level.
        var low: Bool
        var updatedAt: String

        init(_ p: SimpulCore.Part) {
            code = p.code; name = p.name; unit = p.unit; quantity = p.quantity; minimum = p.minimum; location = p.location
            low = p.isLow; updatedAt = Timestamp.string(p.updatedAt)
        }
    }

    /// `GET /parts`: the stock, parts below their minimum first.
    struct PartList: Encodable, Sendable {
        var parts: [Part]
        /// How many are below their minimum level.
        var low: Int
    }
}
