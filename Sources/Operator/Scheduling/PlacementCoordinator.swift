import Controller
import Foundation
import KubeModel
import Logging
import ModelAPI
import Placement

/// Feeds the placement core in batches: GPU models that need a (re)placement within a short
/// window are solved together with every other GPU model, so a burst of applies packs as well as
/// one global decision and does not depend on arrival order. Assignments that still fit stay
/// put (from this process's last plan, or after a restart from `status.placements`); a node that
/// disappears, turns NotReady or unschedulable moves only the replicas it held.
///
/// Capacity is the cluster's as kube-scheduler sees it: the nodes' allocatable minus what every
/// bound pod requests (`podChanged` keeps the sums). A model that cannot be deployed (nothing
/// verified to serve) is left out of the batch and holds nothing. Models without a GPU go to
/// kube-scheduler, once their constraints are checked against the known nodes.
public actor PlacementCoordinator: ModelScheduling {
    /// Reads the nodes and the models (the informers' cache when running).
    private let cache: any ClusterReader
    private let settings: OperatorSettings
    private let window: Duration
    private let requeue: @Sendable (ObjectKey) async -> Void
    private let logger: Logger
    private let metrics = PlacementMetrics()

    // GPU models: the last batch's decisions and the inputs they were made for.
    private var results: [ObjectKey: SchedulingState] = [:]
    private var solvedFor: [ObjectKey: PlacementWorkload] = [:]
    private var undeployable: Set<ObjectKey> = []
    /// Nodes the last plan put replicas on, and whether some model was left short.
    private var plannedNodes: Set<String> = []
    private var someModelShort = false

    // Models placed by kube-scheduler: the conflict with the nodes each was last told, re-checked
    // after every batch (nodes may have changed).
    // Each model keeps only the number of its constraint set (models mostly share a few sets,
    // so ten thousand models do not hold ten thousand copies of the same constraints).
    private var schedulerModels: [ObjectKey: (constraints: Int, conflict: String?)] = [:]
    private var constraintNumbers: [PlacementWorkload: Int] = [:]
    private var constraintSets: [Int: PlacementWorkload] = [:]
    private var nextConstraintNumber = 0
    private var conflicts: [PlacementWorkload: String?] = [:]
    private var recheckedGeneration = 0

    private var nodeGeneration = 0
    private var reopened: Set<String> = []
    private var placementNodes: (generation: Int, nodes: [PlacementNode])?
    private var loads: PodLoads
    private var solveTask: Task<Void, Never>?
    private var solveScheduled = false

    public init(cache: any ClusterReader, settings: OperatorSettings = OperatorSettings(),
                window: Duration = .milliseconds(200), logger: Logger,
                requeue: @escaping @Sendable (ObjectKey) async -> Void) {
        self.cache = cache
        self.settings = settings
        self.window = window
        self.logger = logger
        self.requeue = requeue
        self.loads = PodLoads(gpuResource: settings.gpuResource)
    }

    public func schedule(_ model: InferenceModel, deployable: Bool) async -> SchedulingState {
        let key = ObjectKey(namespace: model.metadata.namespace, name: model.metadata.name ?? "")
        let architectures = ServingArchitectures(model: model, settings: settings, imageBased: model.spec.isImageBased)
        let workload: PlacementWorkload
        do {
            workload = try self.workload(for: model, architectures: architectures.allowed)
        } catch {
            leaveBatch(key)
            return .unplaceable(reason: "\(error)")
        }
        if let conflict = architectures.conflict {
            leaveBatch(key)
            schedulerModels[key] = nil
            return .unplaceable(reason: conflict)
        }
        guard model.spec.needsGPU else {
            leaveBatch(key)  // In case it needed a GPU before.
            let constraints = Self.constraints(of: workload)
            let conflict = await conflict(of: constraints)
            schedulerModels[key] = (number(of: constraints), conflict)
            return conflict.map { .unplaceable(reason: $0) } ?? .byScheduler
        }
        schedulerModels[key] = nil
        guard deployable else {
            // It holds nothing until it can be deployed: what an earlier batch gave it is free again.
            leaveBatch(key)
            return .pending
        }
        if undeployable.remove(key) != nil { scheduleSolve() }
        if let result = results[key], solvedFor[key] == workload { return result }
        scheduleSolve()
        // Before this process's first batch has looked at the model (a restart, a new leader),
        // the placement its status records for this very spec stands: no Placed → Pending →
        // Placed flip, no write. The batch keeps it when it is still feasible, else moves it.
        if results[key] == nil, let recorded = Self.recordedPlacement(of: model) { return .placed(recorded) }
        return .pending
    }

    /// The placements `status` records for the current generation, when the model was placed.
    private static func recordedPlacement(of model: InferenceModel) -> [ModelAPI.ModelPlacement]? {
        guard let status = model.status, let placements = status.placements, !placements.isEmpty,
              status.observedGeneration == model.metadata.generation,
              let scheduled = status.condition(.scheduled), scheduled.status == .true, scheduled.reason == .placed
        else { return nil }
        return placements
    }

    public func forget(_ key: ObjectKey) async {
        schedulerModels[key] = nil
        undeployable.remove(key)
        guard results.removeValue(forKey: key) != nil else { return }
        solvedFor[key] = nil
        scheduleSolve()
    }

    /// Call when nodes change: every model is re-examined in the next batch. `reopened` names a
    /// node that became available again (uncordoned, Ready again, or back): models that kept
    /// several replicas on one node spread onto it again.
    public func nodesChanged(reopened node: String? = nil) {
        nodeGeneration += 1
        if let node { reopened.insert(node) }
        scheduleSolve()
    }

    /// Call for every change of a pod of the cluster (`old` and `new` as the informer saw
    /// them). Keeps the per-node sums; a batch follows when the change can matter: a node of
    /// the plan got fuller, or room appeared while some model is short of it.
    public func podChanged(old: PodFootprint?, new: PodFootprint?) {
        let changes = loads.apply(old: old, new: new)
        let matters = changes.contains { change in
            change.grew ? (!change.ownPod && plannedNodes.contains(change.node)) : someModelShort
        }
        if matters { scheduleSolve() }
    }

    /// Cancels a pending batch.
    public func stop() {
        solveTask?.cancel()
        solveTask = nil
    }

    /// Takes the model out of the GPU batch; a batch follows when it held a placement.
    private func leaveBatch(_ key: ObjectKey) {
        if undeployable.insert(key).inserted && results[key] != nil { scheduleSolve() }
    }

    // MARK: Models placed by kube-scheduler

    /// What of a workload decides where it can run at all: no model key, one replica, no requests.
    private static func constraints(of workload: PlacementWorkload) -> PlacementWorkload {
        var constraints = workload
        constraints.key = ModelKey(namespace: "", name: "")
        constraints.replicas = 1
        constraints.cpuMillis = 0
        constraints.memoryBytes = 0
        return constraints
    }

    /// The number of a constraint set in `constraintSets`, added when new (numbers are never reused).
    private func number(of constraints: PlacementWorkload) -> Int {
        if let known = constraintNumbers[constraints] { return known }
        let number = nextConstraintNumber
        nextConstraintNumber += 1
        constraintSets[number] = constraints
        constraintNumbers[constraints] = number
        return number
    }

    /// Why no known node can run a model with these constraints, or nil; remembered per
    /// constraint set and node generation.
    private func conflict(of constraints: PlacementWorkload) async -> String? {
        let nodes = await currentNodes()
        if let known = conflicts[constraints] { return known }
        let found = PlacementPlanner.conflict(of: constraints, nodes: nodes)?.message
        conflicts[constraints] = found
        return found
    }

    // MARK: Batches

    private func scheduleSolve() {
        guard !solveScheduled else { return }
        solveScheduled = true
        let window = self.window
        solveTask = Task {
            try? await Task.sleep(for: window)
            guard !Task.isCancelled else { return }
            await self.solve()
        }
    }

    /// The nodes as placement reads them, re-read once per node generation.
    private func currentNodes() async -> [PlacementNode] {
        if let cached = placementNodes, cached.generation == nodeGeneration { return cached.nodes }
        let generation = nodeGeneration
        var result: [PlacementNode] = []
        for object in await cachedList({ try await $0.list(.nodes) }) {
            do { result.append(try PlacementNode(node: object, gpuResource: settings.gpuResource)) } catch {
                logger.warning("node skipped by placement", metadata: ["error": "\(error)"])
            }
        }
        if generation == nodeGeneration {
            placementNodes = (generation, result)
            conflicts = [:]
        }
        return result
    }

    private func solve() async {
        solveScheduled = false
        let clock = ContinuousClock()
        let started = clock.now
        let placementNodes = await currentNodes()
        var workloads: [PlacementWorkload] = []
        var existing: [ModelKey: [PlacementAssignment]] = [:]
        var next: [ObjectKey: SchedulingState] = [:]
        var inputs: [ObjectKey: PlacementWorkload] = [:]
        let gpuModels = await cachedList {
            try await $0.list(InferenceModel.self, index: ModelCaches.gpuModelIndex, value: "true")
        }
        for model in gpuModels where model.metadata.deletionTimestamp == nil {
            let key = ObjectKey(namespace: model.metadata.namespace, name: model.metadata.name ?? "")
            guard !undeployable.contains(key) else { continue }
            do {
                let architectures = ServingArchitectures(model: model, settings: settings, imageBased: model.spec.isImageBased)
                let workload = try self.workload(for: model, architectures: architectures.allowed)
                workloads.append(workload)
                inputs[key] = workload
                existing[workload.key] = previousAssignments(key: key, model: model)
            } catch {
                next[key] = .unplaceable(reason: "\(error)")
            }
        }
        let plan = PlacementPlanner.plan(nodes: placementNodes, workloads: workloads, existing: existing, pods: loads.pods,
                                         reopened: reopened)
        reopened = []
        let products = placementNodes.gpuProducts
        var unplaced = 0
        var planned: Set<String> = []
        for placement in plan.models {
            let key = ObjectKey(namespace: placement.key.namespace, name: placement.key.name)
            let state = SchedulingState(placement, gpuProducts: products)
            if case .placed = state { metrics.placed.increment() } else {
                metrics.unplaced.increment()
                unplaced += 1
            }
            for assignment in placement.assignments { planned.insert(assignment.node) }
            next[key] = state
        }
        metrics.unplacedModels.record(unplaced)
        metrics.batchTime.recordNanoseconds((clock.now - started).wholeNanoseconds)
        let changed = Set(next.keys).union(results.keys).filter { next[$0] != results[$0] || solvedFor[$0] != inputs[$0] }
        results = next
        solvedFor = inputs
        plannedNodes = planned
        someModelShort = unplaced > 0
        logger.debug("placement batch solved", metadata: [
            "models": "\(workloads.count)", "nodes": "\(placementNodes.count)", "unplaced": "\(unplaced)",
            "pods": "\(loads.podCount)",
        ])
        for key in changed.sorted() { await requeue(key) }
        await recheckSchedulerModels()
    }

    /// Models placed by kube-scheduler whose conflict (or its absence) changed with the nodes.
    private func recheckSchedulerModels() async {
        guard recheckedGeneration != nodeGeneration else { return }
        recheckedGeneration = nodeGeneration
        // Constraint sets no model uses any more are dropped.
        let used = Set(schedulerModels.values.map(\.constraints))
        constraintSets = constraintSets.filter { used.contains($0.key) }
        constraintNumbers = constraintNumbers.filter { used.contains($0.value) }
        let sets = constraintSets
        var changed: [ObjectKey] = []
        for (key, entry) in schedulerModels {
            guard let constraints = sets[entry.constraints] else { continue }
            let now = await conflict(of: constraints)
            if now != entry.conflict {
                schedulerModels[key] = (entry.constraints, now)
                changed.append(key)
            }
        }
        for key in changed.sorted() { await requeue(key) }
    }

    /// A list from the cache; empty (and logged) when the cache cannot answer, which only a
    /// cache wired without the nodes or models does.
    private func cachedList<Object>(_ read: (any ClusterReader) async throws -> [Object]) async -> [Object] {
        do { return try await read(cache) } catch {
            logger.error("placement cannot read the cache", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// The model's serving plan (ModelAPI validates and types it) as the placement core reads
    /// it, with the architectures its serving image runs on.
    private func workload(for model: InferenceModel, architectures: [String]) throws(InvalidInferenceModel) -> PlacementWorkload {
        var workload = try PlacementWorkload(model: model, gpuAllocation: settings.gpuSharing.gpuAllocation)
        workload.architectures = architectures
        return workload
    }

    /// The assignments to keep if still feasible: this process's last plan, else the status.
    private func previousAssignments(key: ObjectKey, model: InferenceModel) -> [PlacementAssignment] {
        switch results[key] {
        case .placed(let placements), .partiallyPlaced(let placements, _): return placements.map(Self.assignment(model))
        default: return (model.status?.placements ?? []).map(Self.assignment(model))
        }
    }

    private static func assignment(_ model: InferenceModel) -> (ModelAPI.ModelPlacement) -> PlacementAssignment {
        { PlacementAssignment(status: $0, exclusive: model.spec.gpu?.isExclusive ?? false) }
    }
}

extension InferenceModelSpec {
    /// The model is served from its own image (nothing to download).
    var isImageBased: Bool {
        if case .image = source { return true }
        return false
    }
}
