import SimpulCore

extension AccountService {
    /// A signed-in user changes their own password, proving they know the current one.
    /// Wrong guesses count toward the same sign-in throttle as the login form. Ends all of
    /// the user's sessions (see `setPassword`); returns the user so the caller can start a new one.
    public func changeOwnPassword(current: String, new: String, by principal: Principal, remote: String) throws -> User {
        do {
            _ = try authenticate(username: principal.username, password: current, remote: remote)
        } catch let error as ServiceError where error.kind == .unauthorized {
            throw ServiceError(.invalid, Text(id: "kata sandi saat ini salah", en: "the current password is wrong"))
        }
        try setPassword(username: principal.username, password: new, by: principal)
        return try user(principal.username, by: principal)
    }
}
