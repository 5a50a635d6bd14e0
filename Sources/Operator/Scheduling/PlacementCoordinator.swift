import Controller
import Foundation
import KubeClient
import Logging
import ModelAPI
import Placement

/// Feeds the placement core in batches: GPU models that need a (re)placement within a short
/// window are solved together with every other GPU model, so a burst of applies packs as well as
/// one global decision and does not depend on arrival order. Assignments that still fit stay
/// put (from this process's last plan, or after a restart from `status.placements`); a node that
/// disappears, turns NotReady or unschedulable moves only the replicas it held.
public actor PlacementCoordinator: ModelScheduling {
    private let nodes: Informer<JSONValue>
    private let models: Informer<InferenceModel>
    private let window: Duration
    private let requeue: @Sendable (ObjectKey) async -> Void
    private let logger: Logger
    private let metrics = PlacementMetrics()
    private var results: [ObjectKey: SchedulingState] = [:]
    private var solvedFor: [ObjectKey: PlacementWorkload] = [:]
    private var nodeGeneration = 0
    private var solvedNodeGeneration = -1
    private var solveScheduled = false

    public init(nodes: Informer<JSONValue>, models: Informer<InferenceModel>, window: Duration = .milliseconds(200),
                logger: Logger, requeue: @escaping @Sendable (ObjectKey) async -> Void) {
        self.nodes = nodes
        self.models = models
        self.window = window
        self.logger = logger
        self.requeue = requeue
    }

    public func schedule(_ model: InferenceModel) async -> SchedulingState {
        let key = ObjectKey(namespace: model.metadata.namespace, name: model.metadata.name ?? "")
        let workload: PlacementWorkload
        do {
            workload = try PlacementWorkload(inferenceModel: try model.jsonValue())
        } catch {
            return .unplaceable(reason: "\(error)")
        }
        if let result = results[key], solvedFor[key] == workload, solvedNodeGeneration == nodeGeneration {
            return result
        }
        scheduleSolve()
        return .pending
    }

    public func forget(_ key: ObjectKey) async {
        guard results.removeValue(forKey: key) != nil else { return }
        solvedFor[key] = nil
        scheduleSolve()
    }

    /// Call when nodes change: every GPU model is re-examined in the next batch.
    public func nodesChanged() {
        nodeGeneration += 1
        scheduleSolve()
    }

    private func scheduleSolve() {
        guard !solveScheduled else { return }
        solveScheduled = true
        let window = self.window
        Task {
            try? await Task.sleep(for: window)
            await self.solve()
        }
    }

    private func solve() async {
        solveScheduled = false
        let generation = nodeGeneration
        let clock = ContinuousClock()
        let started = clock.now
        var placementNodes: [PlacementNode] = []
        for object in await nodes.list() {
            do { placementNodes.append(try PlacementNode(node: object)) } catch {
                logger.warning("node skipped by placement", metadata: ["error": "\(error)"])
            }
        }
        var workloads: [PlacementWorkload] = []
        var existing: [ModelKey: [PlacementAssignment]] = [:]
        var next: [ObjectKey: SchedulingState] = [:]
        var inputs: [ObjectKey: PlacementWorkload] = [:]
        for model in await models.list() where model.spec.needsGPU && model.metadata.deletionTimestamp == nil {
            let key = ObjectKey(namespace: model.metadata.namespace, name: model.metadata.name ?? "")
            do {
                let workload = try PlacementWorkload(inferenceModel: try model.jsonValue())
                workloads.append(workload)
                inputs[key] = workload
                existing[workload.key] = previousAssignments(key: key, model: model)
            } catch {
                next[key] = .unplaceable(reason: "\(error)")
            }
        }
        let plan = PlacementPlanner.plan(nodes: placementNodes, workloads: workloads, existing: existing)
        let products = placementNodes.gpuProducts
        var unplaced = 0
        for placement in plan.models {
            let key = ObjectKey(namespace: placement.key.namespace, name: placement.key.name)
            let state = SchedulingState(placement, gpuProducts: products)
            if case .placed = state { metrics.placed.increment() } else {
                metrics.unplaced.increment()
                unplaced += 1
            }
            next[key] = state
        }
        metrics.unplacedModels.record(unplaced)
        metrics.batchTime.recordNanoseconds((clock.now - started).wholeNanoseconds)
        let changed = Set(next.keys).union(results.keys).filter { next[$0] != results[$0] || solvedFor[$0] != inputs[$0] }
        results = next
        solvedFor = inputs
        solvedNodeGeneration = generation
        logger.debug("placement batch solved", metadata: [
            "models": "\(workloads.count)", "nodes": "\(placementNodes.count)", "unplaced": "\(unplaced)",
        ])
        for key in changed.sorted() { await requeue(key) }
    }

    /// The assignments to keep if still feasible: this process's last plan, else the status.
    private func previousAssignments(key: ObjectKey, model: InferenceModel) -> [PlacementAssignment] {
        if case .placed(let placements) = results[key] { return placements.map(Self.assignment(model)) }
        return (model.status?.placements ?? []).map(Self.assignment(model))
    }

    private static func assignment(_ model: InferenceModel) -> (ModelAPI.ModelPlacement) -> PlacementAssignment {
        { placement in
            PlacementAssignment(node: placement.node, replicas: placement.replicas, gpuIndex: placement.gpu?.index,
                                gpuMemoryMiB: placement.gpu?.memoryMiB ?? 0,
                                gpuExclusive: model.spec.gpu?.isExclusive ?? false)
        }
    }
}
