import ServiceLifecycle

/// A service that holds a component's place in the shutdown order: it waits for graceful
/// shutdown (or cancellation), then stops the component (cancelling the tasks it owns).
public struct ShutdownAction: LifecycleService, CustomStringConvertible {
    public let name: String
    private let stop: @Sendable () async -> Void

    public init(_ name: String, stop: @escaping @Sendable () async -> Void) {
        self.name = name
        self.stop = stop
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }

    public var description: String { name }
}

/// A service that runs `body` until graceful shutdown or cancellation (a periodic gauge, a
/// feed from a cache); `body` must return when its task is cancelled.
public struct RunUntilShutdown: LifecycleService, CustomStringConvertible {
    public let name: String
    private let body: @Sendable () async -> Void

    public init(_ name: String, body: @escaping @Sendable () async -> Void) {
        self.name = name
        self.body = body
    }

    public func run() async throws {
        let body = self.body
        await cancelWhenGracefulShutdown { await body() }
    }

    public var description: String { name }
}
