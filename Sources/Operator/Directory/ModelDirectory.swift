import Controller
import Foundation
import KubeClient
import KubeModel
import Logging
import ModelAPI

/// Makes each model's URL available to the pods that need it: in every ConfigMap labelled
/// `ai.kubeedge.io/model-directory=true`, the operator keeps one key per InferenceModel of the
/// namespace that serves (its `metadata.name`) with the model's `status.url` as the value. A pod
/// (such as a joint-inference router) mounts the ConfigMap and reads `/etc/models/<model>`;
/// the kubelet refreshes mounted ConfigMaps, so a model that starts or stops serving shows there
/// without a restart.
///
/// Opt-in by creating the ConfigMap, so namespaces without one cost no write. Changes are
/// coalesced per namespace (`interval`): many models becoming Ready together cost one write per
/// directory. A directory is written only when its data differs from what it should hold, so a
/// restart writes nothing. The operator owns the `data` of such a ConfigMap.
public actor ModelDirectory {
    /// The label that makes a ConfigMap a model directory.
    public static let label = "ai.kubeedge.io/model-directory"
    public static let selector = "\(label)=true"

    /// Reads the models and the directories (the informers' cache when running).
    private let cache: any ClusterReader
    private let writer: any ClusterWriter
    private let logger: Logger
    private let interval: Duration
    private var dirty: Set<String> = []
    private var flushing: Task<Void, Never>?
    private var stopped = false

    public init(cache: any ClusterReader, writer: any ClusterWriter,
                interval: Duration = .milliseconds(500), logger: Logger) {
        self.cache = cache
        self.writer = writer
        self.interval = interval
        self.logger = logger
    }

    /// What the directories of `namespace` should hold: every model with a URL, by name.
    static func entries(of models: [InferenceModel]) -> [String: JSONValue] {
        var data: [String: JSONValue] = [:]
        for model in models {
            guard let name = model.metadata.name, let url = model.status?.url, model.metadata.deletionTimestamp == nil
            else { continue }
            data[name] = .string(url)
        }
        return data
    }

    /// Looks at `namespace`'s directories soon (a model's URL appeared, changed or went away, or a
    /// directory was created or edited).
    public func namespaceChanged(_ namespace: String?) {
        guard let namespace, !stopped else { return }
        dirty.insert(namespace)
        guard flushing == nil else { return }
        let interval = self.interval
        flushing = Task { [weak self] in
            try? await Task.sleep(for: interval)
            await self?.flush()
        }
    }

    /// Every namespace that has a directory (at start, so one edited while the operator was down is corrected).
    public func checkAll() async {
        for directory in await directories(namespace: nil) {
            namespaceChanged(directory[path: ["metadata", "namespace"]]?.stringValue)
        }
    }

    /// The ConfigMaps labelled as directories (the cache may hold only those, or every ConfigMap).
    private func directories(namespace: String?) async -> [JSONValue] {
        do {
            return try await cache.list(.configMaps, namespace: namespace).filter {
                $0[path: ["metadata", "labels", Self.label]]?.stringValue == "true"
            }
        } catch {
            logger.error("model directories not readable", metadata: ["error": "\(error)"])
            return []
        }
    }

    public func stop() {
        stopped = true
        flushing?.cancel()
        flushing = nil
    }

    private func flush() async {
        flushing = nil
        let namespaces = dirty
        dirty = []
        for namespace in namespaces.sorted() where !stopped {
            // Most namespaces have no directory: then the models are not read at all.
            let found = await directories(namespace: namespace)
            guard !found.isEmpty else { continue }
            let models: [InferenceModel]
            do { models = try await cache.list(InferenceModel.self, namespace: namespace) } catch {
                logger.error("models not readable; model directories not written", metadata: ["error": "\(error)"])
                continue
            }
            let wanted = Self.entries(of: models)
            for directory in found {
                guard (directory["data"]?.objectValue ?? [:]) != wanted else { continue }
                var updated = directory
                updated["data"] = .object(wanted)
                updated[path: ["metadata", "managedFields"]] = nil
                do {
                    _ = try await writer.update(updated, in: .configMaps)
                } catch {
                    // A conflict or a transient failure: the next look (the watch event of the
                    // newer version, or this retry) writes it.
                    logger.info("model directory not written; retrying", metadata: [
                        "namespace": "\(namespace)", "name": "\(directory[path: ["metadata", "name"]]?.stringValue ?? "")",
                        "error": "\(error)",
                    ])
                    namespaceChanged(namespace)
                }
            }
        }
    }
}
