/// The two cookies Simpul sets, written out by hand so every attribute is explicit.
enum Cookies {
    /// The signed-in session: the random token from `SessionService.create`.
    static let session = "simpul_session"
    /// The login form's double-submit CSRF token.
    static let login = "simpul_login"

    static func session(_ token: String, secure: Bool) -> String {
        "\(session)=\(token); Path=/; HttpOnly\(secure ? "; Secure" : ""); SameSite=Lax"
    }

    static func clearSession(secure: Bool) -> String {
        "\(session)=; Path=/; Max-Age=0; HttpOnly\(secure ? "; Secure" : ""); SameSite=Lax"
    }

    /// Lives for an hour on /login only; Strict, so no other site's page can send it.
    static func login(_ token: String, secure: Bool) -> String {
        "\(login)=\(token); Path=/login; Max-Age=3600; HttpOnly\(secure ? "; Secure" : ""); SameSite=Strict"
    }

    static func clearLogin(secure: Bool) -> String {
        "\(login)=; Path=/login; Max-Age=0; HttpOnly\(secure ? "; Secure" : ""); SameSite=Strict"
    }
}

/// Compares secrets in time that does not depend on where they differ.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}
