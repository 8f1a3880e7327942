// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "qa-analytics",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "qa-analytics", targets: ["qa-analytics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "QACore"),
        .target(
            name: "QAStore",
            dependencies: ["Postgres", "QACore", .product(name: "Logging", package: "swift-log")],
            plugins: ["EmbedFilesPlugin"]
        ),
        .executableTarget(name: "embed-files"),
        .plugin(
            name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["embed-files"],
            path: "Sources/EmbedFilesPlugin"),
        .target(name: "QARead", dependencies: ["QACore"]),
        .target(
            name: "QALoad",
            dependencies: ["QACore", "QARead", "Postgres", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "QASample", dependencies: ["QACore"]),
        .target(name: "QAQuery", dependencies: ["QACore", "Postgres"]),
        .target(name: "QACheck", dependencies: ["Postgres", "QACore"]),
        .target(name: "QAExport", dependencies: ["QAQuery", "QACore", "Postgres"], plugins: ["EmbedFilesPlugin"]),
        .executableTarget(
            name: "qa-analytics",
            dependencies: [
                "Postgres", "QACore", "QARead", "QALoad", "QAQuery", "QASample", "QAStore", "QACheck", "QAExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Postgres", "QAStore", "QACore"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "QACoreTests", dependencies: ["QACore"]),
        .testTarget(name: "QAStoreTests", dependencies: ["QAStore", "Postgres", "TestSupport"]),
        .testTarget(name: "QALoadTests", dependencies: ["QALoad", "QARead", "QACore", "QASample", "QAQuery", "Postgres", "TestSupport"]),
        .testTarget(name: "QAReadTests", dependencies: ["QARead", "QACore"]),
        .testTarget(name: "QASampleTests", dependencies: ["QASample", "QARead", "QACore"]),
        .testTarget(name: "QAQueryTests", dependencies: ["QAQuery", "QACore", "Postgres", "TestSupport"]),
        .testTarget(name: "QACheckTests", dependencies: ["QACheck", "Postgres", "TestSupport", "QACore"]),
        .testTarget(name: "QAExportTests", dependencies: ["QAExport", "QAQuery", "QACore", "Postgres", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Postgres", "QAStore", "TestSupport"]),
        .testTarget(name: "FaultTests", dependencies: ["Postgres", "QAStore", "QACore", "QASample", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
