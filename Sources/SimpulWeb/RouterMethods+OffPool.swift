import Hummingbird

/// Routes whose whole handler runs on the blocking threads (`Blocking.serve`): every route that reads
/// or writes the database. `pages.get("/pools", offPool: list)` instead of `pages.get("/pools") { … }`.
/// Disfavoured, so that a trailing closure still means Hummingbird's own `use:` and only the label
/// `offPool:` moves a handler.
extension RouterMethods where Context == WebContext {
    @_disfavoredOverload @discardableResult
    func get(_ path: RouterPath = "", offPool handler: @escaping @Sendable (Request, Context) async throws -> Response) -> Self {
        get(path, use: { request, context in try await Blocking.serve { try await handler(request, context) } })
    }

    @_disfavoredOverload @discardableResult
    func post(_ path: RouterPath = "", offPool handler: @escaping @Sendable (Request, Context) async throws -> Response) -> Self {
        post(path, use: { request, context in try await Blocking.serve { try await handler(request, context) } })
    }

    @_disfavoredOverload @discardableResult
    func delete(_ path: RouterPath = "", offPool handler: @escaping @Sendable (Request, Context) async throws -> Response) -> Self {
        delete(path, use: { request, context in try await Blocking.serve { try await handler(request, context) } })
    }
}
