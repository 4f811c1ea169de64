// swift-tools-version: 6.1
// Aetheria: a Discord support-ticket bot server, and the local Discord emulator it is tested against.
// Module map and dependency direction: docs/architecture.md.

import Foundation
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Aetheria",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aetheria", targets: ["aetheria"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.3.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    ],
    targets: [
        // C shim for the system zlib: the gateway's zlib-stream transport compression.
        // glibc's allocator statistics, for the heap-in-use figure of /metrics and the load test.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Streaming deflate/inflate contexts over CZlib, shared by the gateway client and the emulator.
        .target(name: "ZlibStream", dependencies: ["CZlib"], swiftSettings: strictSettings),
        // Wire types shared by the bot and the emulator. Foundation only.
        .target(name: "DiscordModels", swiftSettings: strictSettings),
        // The ports the adapters implement and the bot uses: sessions, shard leases, rate limits, expiring
        // records. Small and pure, so DiscordGateway, DiscordREST and Storage meet here without importing each
        // other, and the emulator's wire types stay free of them.
        .target(name: "AetheriaPorts", dependencies: ["DiscordModels"], swiftSettings: strictSettings),
        // The bot's side of the gateway: sessions, shards, zlib-stream transport, event envelopes.
        .target(
            name: "DiscordGateway",
            dependencies: [
                "AetheriaPorts",
                .product(name: "DequeModule", package: "swift-collections"),
                "DiscordModels",
                "ZlibStream",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        // The bot's REST client: typed calls, Discord's errors, and rate limiting (pure state + shared store).
        .target(
            name: "DiscordREST",
            dependencies: [
                "AetheriaPorts",
                .product(name: "DequeModule", package: "swift-collections"),
                "DiscordModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The ticket domain: pure rules and the ports its actors persist through. No I/O.
        .target(
            name: "TicketCore",
            dependencies: ["DiscordModels", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // Renders a transcript document to one self-contained, XSS-safe HTML file.
        .target(
            name: "Transcripts",
            dependencies: ["TicketCore", "DiscordModels", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),
        // The staff dashboard: OAuth2 login, per-guild access, configuration, charts, transcripts, operators' pages.
        .target(
            name: "Dashboard",
            dependencies: [
                "AetheriaPorts",
                "TicketCore",
                "Transcripts",
                "DiscordModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // C shim for the system hiredis; only Storage imports it.
        .systemLibrary(
            name: "CHiredis", path: "Sources/CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        // C shim for the system SQLite (the embedded default store); only Storage imports it.
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Durable state: Redis (through hiredis) and, with the persistence issue, the embedded SQLite default.
        .target(
            name: "Storage",
            dependencies: [
                "AetheriaPorts",
                "DiscordModels",
                "TicketCore",
                "ZlibStream",
                "CHiredis",
                "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // A faithful local Discord: REST, gateway, OAuth2, control API, faults, firehose.
        .target(
            name: "DiscordEmulator",
            dependencies: [
                .product(name: "DequeModule", package: "swift-collections"),
                "DiscordModels",
                "ZlibStream",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The one client of the emulator's control API (/_emulator): tests, the demo and the load test.
        .target(
            name: "EmulatorControl",
            dependencies: [
                "DiscordEmulator",
                "DiscordModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // Composition root: configuration, services, wiring.
        .target(
            name: "AetheriaServer",
            dependencies: [
                "AetheriaPorts",
                "CMalloc",
                "DiscordModels",
                "Dashboard",
                .product(name: "Prometheus", package: "swift-prometheus"),
                "TicketCore",
                "Transcripts",
                "DiscordGateway",
                "DiscordREST",
                "Storage",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // `aetheria loadtest`: the bot as a child process against the emulator, measured from outside.
        .target(
            name: "AetheriaLoadTest",
            dependencies: [
                "AetheriaServer",
                "DiscordEmulator",
                "DiscordModels",
                "EmulatorControl",
                "TicketCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "aetheria",
            dependencies: [
                "AetheriaLoadTest",
                "AetheriaServer",
                "EmulatorControl",
                "DiscordEmulator",
                "DiscordModels",
                "TicketCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Every parser of outside bytes as a libFuzzer target (docs/reliability.md); scripts/fuzz.sh builds
        // `aetheria-fuzz` with --sanitize=fuzzer in its own build folder, and the tests replay the seed corpora.
        .target(
            name: "AetheriaFuzzTargets",
            dependencies: [
                "AetheriaPorts",
                "AetheriaServer", "Dashboard", "DiscordEmulator", "DiscordGateway", "DiscordModels", "DiscordREST",
                "Storage", "TicketCore", "Transcripts", "ZlibStream",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "aetheria-fuzz", dependencies: ["AetheriaFuzzTargets"], swiftSettings: strictSettings),
        .testTarget(
            name: "FuzzTargetTests", dependencies: ["AetheriaFuzzTargets", "DiscordEmulator"],
            swiftSettings: strictSettings),
        .testTarget(name: "DiscordModelsTests", dependencies: ["DiscordModels"], swiftSettings: strictSettings),
        .testTarget(name: "ZlibStreamTests", dependencies: ["ZlibStream", "CZlib"], swiftSettings: strictSettings),
        // Test support: a guild with one ticket type, set up the way guilds were before types.
        .target(
            name: "TicketTestSupport", dependencies: ["TicketCore", "DiscordModels"], path: "Tests/TicketTestSupport",
            swiftSettings: strictSettings),
        // Test support: runs the emulator on loopback and talks to it like any client would.
        .target(
            name: "EmulatorTestSupport",
            dependencies: [
                "AetheriaPorts",
                "DiscordEmulator",
                "EmulatorControl",
                "DiscordModels",
                "Storage",
                "ZlibStream",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/EmulatorTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DiscordEmulatorTests",
            dependencies: [
                "DiscordEmulator", "DiscordModels", "EmulatorTestSupport",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DiscordGatewayTests",
            dependencies: [
                "AetheriaPorts",
                "DiscordGateway",
                "DiscordModels",
                "DiscordEmulator",
                "EmulatorTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DiscordRESTTests",
            dependencies: [
                "AetheriaPorts", "DiscordREST", "DiscordModels", "DiscordEmulator", "EmulatorTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "AetheriaPorts",
                "Storage", "TicketCore", "DiscordModels", "EmulatorTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TicketCoreTests", dependencies: ["TicketCore", "DiscordModels", "TicketTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TranscriptsTests", dependencies: ["Transcripts", "TicketCore", "DiscordModels"],
            exclude: ["Golden"], swiftSettings: strictSettings),
        // The dashboard's router and middleware with an in-memory backend (HummingbirdTesting, no network).
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "AetheriaPorts", "Dashboard", "DiscordModels", "TicketCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AetheriaServerTests",
            dependencies: [
                "AetheriaLoadTest",
                "AetheriaPorts",
                "EmulatorControl",
                "AetheriaServer",
                "TicketCore",
                "DiscordEmulator",
                "DiscordModels",
                "EmulatorTestSupport",
                "TicketTestSupport",
                "Storage",
                "DiscordREST",
                "Dashboard",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

// package-benchmark suites (swift package --disable-sandbox benchmark). Left out of the fuzzer build
// (scripts/fuzz.sh sets AETHERIA_FUZZ_BUILD): --sanitize=fuzzer would link libFuzzer's `main` into the
// benchmark plugin's tool as well.
if ProcessInfo.processInfo.environment["AETHERIA_FUZZ_BUILD"] == nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.29.0", traits: ["MallocInterposer"])
    )
    package.targets += [
        .executableTarget(
            name: "GatewayCompressionBenchmarks",
            dependencies: [
                "ZlibStream",
                "DiscordEmulator",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/GatewayCompressionBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "GatewayIngestBenchmarks",
            dependencies: [
                "DiscordGateway",
                "DiscordEmulator",
                "ZlibStream",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/GatewayIngestBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "TranscriptBenchmarks",
            dependencies: [
                "Transcripts",
                "TicketCore",
                "DiscordModels",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/TranscriptBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "StorageBenchmarks",
            dependencies: [
                "Storage",
                "TicketCore",
                "DiscordModels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/StorageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "RESTRateLimiterBenchmarks",
            dependencies: [
                "AetheriaPorts",
                "DiscordREST",
                "DiscordModels",
                "DiscordEmulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/RESTRateLimiterBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
}
