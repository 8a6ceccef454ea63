// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Simpul",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "simpul", targets: ["simpul"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        // CSV (RFC 4180) reading and writing: the compliance export now, the LAN inventory upload next.
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
        // Already under Hummingbird; named for the web server's event loop group.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        // Already under Hummingbird; named because the web target imports them (HTTP field types, its Service).
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        // /metrics: speaks Prometheus' text exposition format (TYPE/HELP lines, label escaping), so we don't hand-write it.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // System libraries. Their headers sit behind one shim each; see STYLE.md on fd_set.
        .systemLibrary(
            name: "CNetSNMP",
            pkgConfig: "netsnmp",
            providers: [.apt(["libsnmp-dev"])]
        ),
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        // libcurl: SMTP (STARTTLS, AUTH) and HTTP(S) in one C library already on every Debian.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // Pure core: values and rules, no I/O, no clock.
        .target(
            name: "SimpulCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // SQLite store through GRDB.
        .target(
            name: "SimpulStore",
            dependencies: [
                "SimpulCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Use cases: core rules + one store transaction.
        .target(
            name: "SimpulServices",
            dependencies: [
                "SimpulCore",
                "SimpulStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "CSV", package: "CSV.swift"),
                // The office's message templates (the provider's escalation mail), rendered as plain text.
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Adapters over C libraries.
        .target(
            name: "SimpulSNMP",
            dependencies: ["CNetSNMP", "SimpulCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SimpulCapture",
            dependencies: ["CPcap", "SimpulCore"],
            swiftSettings: swiftSettings
        ),
        // RFC 2136 updates, queries and zone transfers over TCP, signed with TSIG.
        .target(
            name: "SimpulDNS",
            dependencies: [
                "SimpulCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Checks of hosted servers: ICMP echo on a thread of its own, TCP connects over SwiftNIO.
        .target(
            name: "SimpulProbe",
            dependencies: [
                "SimpulCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Mail over SMTP and webhooks over HTTP(S), through libcurl's easy API on threads of its own.
        .target(
            name: "SimpulMail",
            dependencies: [
                "CCurl",
                "SimpulCore",
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Web: Hummingbird routes and Mustache templates over the services.
        .target(
            name: "SimpulWeb",
            dependencies: [
                "SimpulCore",
                "SimpulStore",
                "SimpulServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Templates"), .copy("Assets"), .copy("Strings")],
            swiftSettings: swiftSettings
        ),
        // Letters as PDF: Debian's headless Chromium, started once and driven over the DevTools pipe.
        .target(
            name: "SimpulPDF",
            dependencies: ["SimpulCore"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "simpul",
            dependencies: [
                "SimpulCore",
                "SimpulStore",
                "SimpulServices",
                "SimpulWeb",
                "SimpulSNMP",
                "SimpulCapture",
                "SimpulDNS",
                "SimpulMail",
                "SimpulProbe",
                "SimpulPDF",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Test rigs: real servers (named, aiosmtpd, an HTTP sink) started on loopback by the tests that need them.
        .target(
            name: "SimpulTestRigs",
            path: "Tests/Rigs",
            // The Python servers the rigs start, read from the source tree by path.
            exclude: ["smtp_server.py", "http_sink.py", "snmp"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SimpulCoreTests",
            dependencies: ["SimpulCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SimpulStoreTests",
            dependencies: [
                "SimpulCore", "SimpulStore", "SimpulServices", "SimpulDNS", "SimpulMail", "SimpulProbe", "SimpulTestRigs",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // Read by path from the source tree (ShippedMigrationsTests), not bundled.
            exclude: ["ShippedMigrations"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SimpulWebTests",
            dependencies: [
                "SimpulCore", "SimpulStore", "SimpulServices", "SimpulWeb", "SimpulDNS", "SimpulTestRigs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SimpulAdapterTests",
            dependencies: ["SimpulSNMP", "SimpulCapture", "SimpulDNS", "SimpulMail", "SimpulProbe", "SimpulPDF", "SimpulCore", "SimpulTestRigs"],
            swiftSettings: swiftSettings
        ),
    ]
)
