import KubeModel
import Logging
import ServiceLifecycle

/// A controller declared as data, as controller-runtime's builder declares one: "for" a primary
/// resource, "owns" the objects it emits (mapped to their controlling owner), "watches" others
/// (mapped to primary keys, or handed to a handler). The `Manager` runs it only while this
/// replica leads: it subscribes its sources (replaying the caches), then runs the reconcile
/// workers over its queue. Graceful shutdown stops the queue and drains in-flight reconciles;
/// cancellation (lost leadership, an expired grace period) stops them at once.
public struct ControllerDeclaration<R: Reconciler>: LifecycleService, CustomStringConvertible {
    public let name: String
    public let queue: WorkQueue<ObjectKey>
    public let reconciler: R
    public let workers: Int
    public private(set) var sources: [WatchSource] = []
    private let logger: Logger

    public init(name: String, queue: WorkQueue<ObjectKey>, reconciler: R, workers: Int, logger: Logger) {
        self.name = name
        self.queue = queue
        self.reconciler = reconciler
        self.workers = max(1, workers)
        self.logger = logger
    }

    /// The primary resource: each change that `predicate` lets through queues its own key.
    public func `for`<Object>(_ informer: Informer<Object>,
                              when predicate: @escaping @Sendable (InformerChange<Object>) -> Bool = { _ in true })
        -> Self {
        adding(.mapped(informer) { predicate($0) ? [$0.key] : [] })
    }

    /// Objects the primary emits: a change queues the key of its controlling owner of `owner`'s kind.
    public func owns<Object: KubeObject>(_ informer: Informer<Object>, owner: OwnerKind) -> Self {
        adding(.mapped(informer) { change in change.object.flatMap { owner.controllerKey(of: $0.metadata) }.map { [$0] } ?? [] })
    }

    /// Another resource whose changes map to primary keys.
    public func watches<Object>(_ informer: Informer<Object>,
                                map: @escaping @Sendable (InformerChange<Object>) async -> [ObjectKey]) -> Self {
        adding(.mapped(informer, map: map))
    }

    /// Another resource whose changes go to a handler (which requeues by its own means).
    public func watches<Object>(_ informer: Informer<Object>,
                                handler: @escaping @Sendable (InformerChange<Object>) async -> Void) -> Self {
        adding(.handled(informer, handler: handler))
    }

    private func adding(_ source: WatchSource) -> Self {
        var copy = self
        copy.sources.append(source)
        return copy
    }

    public var description: String { "controller(\(name))" }

    /// Subscribes the sources, then reconciles until graceful shutdown drained the queue or the
    /// task is cancelled. Throws `GracePeriodExpired` when cancelled during a graceful shutdown
    /// before in-flight reconciles finished.
    public func run() async throws {
        let queue = self.queue
        var pumps: [@Sendable () async -> Void] = []
        for source in sources { pumps.append(await source.start(feeding: queue)) }
        logger.info("caches synced; reconciling", metadata: ["controller": "\(name)", "workers": "\(workers)"])
        let loop = ControllerLoop(name: name, queue: queue, reconciler: reconciler, workers: workers, logger: logger)
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await loop.run()
                return true
            }
            for pump in pumps {
                group.addTask {
                    await pump()
                    return false
                }
            }
            group.addTask {
                // Graceful shutdown, or cancellation: stop handing out work; workers finish theirs.
                try? await gracefulShutdown()
                await queue.shutDown()
                return false
            }
            while let loopEnded = await group.next() {
                if loopEnded { group.cancelAll() }
            }
        }
        if Task.isCancelled, Task.isShuttingDownGracefully {
            logger.error("in-flight reconciles did not finish within the grace period", metadata: ["controller": "\(name)"])
            throw GracePeriodExpired(controller: name)
        }
    }
}

/// The grace period ended while reconciles were still in flight.
public struct GracePeriodExpired: Error, CustomStringConvertible {
    public let controller: String
    public var description: String { "in-flight reconciles of \(controller) did not finish within the grace period" }
}
