import Foundation
import HTTPTypes
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/api/v1/pools/{name}/…` and `/api/v1/addresses/{address}`: addresses out of the pools.
/// Every route runs on the blocking threads (a write waits for the database's one writer and its fsync).
struct IPAMAPIRoutes: Sendable {
    let simpul: Simpul

    func register(on api: RouterGroup<WebContext>) {
        api.get("/pools/usage", offPool: { _, context in
            try Response.json(try simpul.ipam.usage(by: try APIRoutes.principal(context)).map(API.Usage.init))
        })
        api.get("/pools/:name/next", offPool: { _, context in
            let address = try simpul.ipam.next(pool: try context.parameters.require("name"), by: try APIRoutes.principal(context))
            return try Response.json(API.NextAddress(address: address.description))
        })
        api.get("/pools/:name/addresses", offPool: { request, context in
            let query = FormData(encoded: request.uri.query)
            let state = try query.text("state").nilIfEmpty.map { text in
                guard let state = IPAMStore.State(rawValue: text) else { throw TicketAPIRoutes.choose("state", ["held", "assigned"]) }
                return state
            }
            return try Response.json(try simpul.ipam.list(
                pool: try context.parameters.require("name"), state: state, owner: query.text("owner").nilIfEmpty,
                limit: try APIRoutes.integer(query, "limit", default: 500, in: 1...5000),
                offset: try APIRoutes.integer(query, "offset", default: 0, in: Bounds.listOffset), by: try APIRoutes.principal(context)
            ).map(API.Allocation.init))
        })
        api.post("/pools/:name/addresses", offPool: allocate)
        api.get("/addresses/:address", offPool: { _, context in
            try Response.json(API.AddressReport(try simpul.ipam.show(try context.parameters.require("address"), by: try APIRoutes.principal(context))))
        })
        api.delete("/addresses/:address", offPool: { request, context in
            let principal = try APIRoutes.principal(context)
            let address = try context.parameters.require("address")
            let note = FormData(encoded: request.uri.query).text("note").nilIfEmpty
            var released = try simpul.ipam.release(address, note: note, by: principal)
            released.dns = await simpul.dnsRecords.published(released.dns)
            return try Response.json(API.Released(released))
        })
    }

    struct AllocationBody: Decodable {
        var owner: String
        var address: String?
        var hostname: String?
        var note: String?
        var key: String?
        /// `hold` (default) or `assign`.
        var state: String?
        /// How long a hold lasts: `30m`, `72h`, `5d`.
        var holdFor: String?

        enum CodingKeys: String, CodingKey {
            case owner, address, hostname, note, key, state
            case holdFor = "hold_for"
        }
    }

    /// Holds or assigns; the idempotency key comes from the body or the `Idempotency-Key` header.
    func allocate(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let pool = try context.parameters.require("name")
        let body = try await TicketAPIRoutes.decode(AllocationBody.self, request, context)
        guard let action = IPAMService.Action(rawValue: body.state ?? "hold") else {
            throw TicketAPIRoutes.choose("state", IPAMService.Action.allCases.map(\.rawValue))
        }
        let holdFor = try body.holdFor.map(IPAMService.holdDuration)
        let key = body.key?.nilIfEmpty ?? request.headers[Self.idempotencyKey]?.nilIfEmpty
        let allocationRequest = IPAMService.Request(pool: pool, address: body.address, owner: body.owner, hostname: body.hostname,
                                                    note: body.note, idempotencyKey: key, holdFor: holdFor)
        return try Response.json(API.Allocation(try simpul.ipam.allocate(allocationRequest, action, by: principal)))
    }

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
