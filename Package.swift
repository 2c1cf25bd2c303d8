// swift-tools-version:6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Keelson",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keelson", targets: ["keelson"]),
        .library(name: "KeelsonGit", targets: ["KeelsonGit"]),
        .library(name: "KeelsonKubernetes", targets: ["KeelsonKubernetes"]),
        .library(name: "KeelsonManifests", targets: ["KeelsonManifests"]),
        .library(name: "KeelsonCore", targets: ["KeelsonCore"]),
        .library(name: "KeelsonSimulator", targets: ["KeelsonSimulator"]),
        .library(name: "KeelsonServer", targets: ["KeelsonServer"]),
        .library(name: "KeelsonBench", targets: ["KeelsonBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(
            name: "KeelsonGit",
            dependencies: [
                "CGit2",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "KeelsonKubernetes",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "KeelsonManifests",
            dependencies: [
                "KeelsonKubernetes",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "KeelsonCore",
            dependencies: [
                "KeelsonGit", "KeelsonKubernetes", "KeelsonManifests", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "KeelsonSimulator",
            dependencies: ["KeelsonCore", "KeelsonKubernetes", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "KeelsonServer",
            dependencies: [
                "KeelsonCore",
                "KeelsonGit",
                "KeelsonKubernetes",
                "KeelsonManifests",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "KeelsonBench",
            dependencies: [
                "KeelsonCore", "KeelsonGit", "KeelsonKubernetes", "KeelsonSimulator", "KeelsonServer",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "keelson",
            dependencies: [
                "KeelsonCore",
                "KeelsonGit",
                "KeelsonKubernetes",
                "KeelsonManifests",
                "KeelsonSimulator",
                "KeelsonServer",
                "KeelsonBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "KeelsonTestSupport",
            dependencies: ["KeelsonGit"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KeelsonGitTests",
            dependencies: ["KeelsonGit", "KeelsonTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KeelsonKubernetesTests",
            dependencies: ["KeelsonKubernetes"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KeelsonManifestsTests",
            dependencies: ["KeelsonKubernetes", "KeelsonManifests"],
            // Read from the source tree (#filePath), not bundled.
            exclude: ["Fixtures/kustomize"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "keelson", "KeelsonCore", "KeelsonGit", "KeelsonTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KeelsonSimulatorTests",
            dependencies: [
                "KeelsonSimulator", "KeelsonKubernetes", "KeelsonManifests", .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // Read from the source tree (#filePath), not bundled.
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KeelsonServerTests",
            dependencies: [
                "KeelsonServer", "KeelsonCore", "KeelsonGit", "KeelsonSimulator", "KeelsonTestSupport",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KeelsonCoreTests",
            dependencies: [
                "KeelsonCore", "KeelsonKubernetes", "KeelsonManifests", "KeelsonTestSupport", "KeelsonSimulator",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Yams", package: "Yams"),
            ],
            // Read from the source tree (#filePath), not bundled.
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ]
)
