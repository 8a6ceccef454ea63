/// How `simpul serve` runs the web shell.
public struct WebConfiguration: Sendable {
    /// Address to listen on. Loopback by default: put a TLS-terminating proxy in front for the office network.
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Marks cookies `Secure`. Turn off only to try the server over plain HTTP from another machine.
    public var secureCookies: Bool = true

    public init() {}
}
