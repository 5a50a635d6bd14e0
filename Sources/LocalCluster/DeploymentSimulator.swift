import Foundation
import KubeModel

/// Plays the parts of a cluster that make Deployments run, without running containers: the
/// deployment and ReplicaSet controllers, kube-scheduler, the node lifecycle controller, the pod
/// garbage collector and the kubelets (see ``ClusterStore/runWorkloadSimulation(memory:options:now:)``
/// and the files beside it for what each does and leaves out).
///
/// It watches Deployments, ReplicaSets, Pods and Nodes; a change schedules a pass
/// `reactionDelay` later (a burst of changes shares one pass), and a pass asks for another when a
/// pod is due to become Ready or a rollout's progress deadline runs out. Its writes stay out of
/// the API write counters. Deployments marked failing get crash-looping pods in their current
/// ReplicaSet.
actor DeploymentSimulator {
    private let store: ClusterStore
    private let options: DeploymentSimulationOptions
    private var memory = SimulationMemory()
    private var watchTasks: [Task<Void, Never>] = []
    /// The one scheduled pass, and when it runs.
    private var timer: Task<Void, Never>?
    private var timerDue: ContinuousClock.Instant?
    private var running = false
    private var rerunRequested = false
    private var stopped = false
    /// Whether a Deployment was marked (un)failing while a pass ran, so the next pass must look at everything.
    private var markedDuringPass = false

    private init(store: ClusterStore, options: DeploymentSimulationOptions) {
        self.store = store
        self.options = options
    }

    static func start(store: ClusterStore, options: DeploymentSimulationOptions) async -> DeploymentSimulator {
        let simulator = DeploymentSimulator(store: store, options: options)
        await simulator.begin()
        return simulator
    }

    private func begin() async {
        let types = [BuiltinResources.deployments, BuiltinResources.replicaSets, BuiltinResources.pods,
                     BuiltinResources.nodes]
        for type in types {
            guard let (events, subscription) = try? await store.watch(
                type, namespace: nil, labelSelector: .everything, fieldSelector: .everything, resourceVersion: nil)
            else { continue }
            let store = self.store
            watchTasks.append(Task { [weak self] in
                for await item in events {
                    guard case .event = item else { continue }
                    await self?.requestPass()
                }
                if let subscription { await store.endWatch(subscription) }
            })
        }
        requestPass()
    }

    func stop() {
        stopped = true
        for task in watchTasks { task.cancel() }
        watchTasks.removeAll()
        timer?.cancel()
        timer = nil
    }

    func setFailing(namespace: String, name: String, failing isFailing: Bool, sparingCurrentPods: Bool = false,
                    initFailure: SimulatedInitFailure? = nil) async {
        let key = ObjectKey(namespace: namespace, name: name)
        memory.initFailures[key] = isFailing ? initFailure : nil
        // The spared ReplicaSets are known before the mark is set, so no pass sees one without the other.
        if isFailing, sparingCurrentPods,
           let deployment = try? await store.get(BuiltinResources.deployments, namespace: namespace, name: name) {
            let owned = await store.list(BuiltinResources.replicaSets, namespace: namespace)
                .filter { $0.controllerUID == deployment.metaUID }
            memory.sparedReplicaSets.formUnion(owned.map(\.metaUID))
        }
        if isFailing { memory.failingDeployments.insert(key) } else { memory.failingDeployments.remove(key) }
        if !isFailing { memory.sparedReplicaSets = [] }
        memory.observedThrough = nil  // the kubelets look at every pod again
        markedDuringPass = running
        requestPass()
    }

    /// Schedules a pass after the reaction delay.
    private func requestPass() {
        schedulePass(at: .now + options.reactionDelay)
    }

    /// Makes sure a pass runs no later than `due`.
    private func schedulePass(at due: ContinuousClock.Instant) {
        guard !stopped else { return }
        if running {
            rerunRequested = true
            return
        }
        if let timerDue, timerDue <= due { return }
        timer?.cancel()
        timerDue = due
        timer = Task { [weak self] in
            do {
                try await Task.sleep(until: due, clock: .continuous)
            } catch {
                return
            }
            await self?.runPass()
        }
    }

    private func runPass() async {
        timer = nil
        timerDue = nil
        guard !stopped else { return }
        running = true
        markedDuringPass = false
        let result = await store.runWorkloadSimulation(memory: memory, options: options)
        var merged = result.memory
        merged.failingDeployments = memory.failingDeployments
        merged.initFailures = memory.initFailures
        if markedDuringPass { merged.observedThrough = nil }
        memory = merged
        running = false
        if rerunRequested {
            rerunRequested = false
            requestPass()
        }
        if let wake = result.nextWake {
            schedulePass(at: .now + .milliseconds(max(0, Int64((wake.timeIntervalSinceNow * 1000).rounded(.up)))))
        }
    }
}
