import Foundation
import KubeClient
import KubeModel
import ModelAPI

/// Where a manifest model's serving pods keep the archive, and how big their models volume is.
///
/// The cache mode comes from the model (`spec.archiveCache`), else its namespace's label
/// `ai.kubeedge.io/archive-cache`, else `Pod`, the mode every PodSecurity level admits. A
/// request for the node cache in a namespace whose PodSecurity `enforce` level is `baseline` or
/// `restricted` (both forbid hostPath volumes) falls back to `Pod`, and the status says so,
/// rather than leave the model with pods the API server refuses.
///
/// Sizes follow the verified archive: the `fetch` init container may unpack at most 4× the
/// archive plus 256 MiB (its own default), and in `Pod` mode the download sits beside the
/// unpacked files, so the models volume is the archive plus that; never more than the operator's
/// `--model-volume-size`. Without a known size (a record from before sizes were kept) the
/// volume is `--model-volume-size`.
public struct ArchiveStorage: Sendable, Equatable {
    public var cache: ArchiveCacheMode
    /// The verified archive's size in bytes, when known.
    public var archiveBytes: Int64?

    public init(cache: ArchiveCacheMode = .default, archiveBytes: Int64? = nil) {
        self.cache = cache
        self.archiveBytes = archiveBytes
    }

    /// The mode for `model` in a namespace labelled `namespaceLabels`, and why.
    public static func cacheChoice(for model: InferenceModel, namespaceLabels: [String: String]?) -> ArchiveCacheStatus {
        let labels = namespaceLabels ?? [:]
        let requested: ArchiveCacheMode
        let source: String
        if let text = model.spec.archiveCache, let mode = ArchiveCacheMode(rawValue: text) {
            requested = mode
            source = "spec.archiveCache"
        } else if let text = labels[ArchiveCacheMode.namespaceLabel], let mode = ArchiveCacheMode(rawValue: text) {
            requested = mode
            source = "the namespace's label \(ArchiveCacheMode.namespaceLabel)"
        } else {
            return ArchiveCacheStatus(mode: .default, message: "the archive is kept in the pod only (the default); "
                + "set spec.archiveCache: Node, or label the namespace \(ArchiveCacheMode.namespaceLabel)=Node, so pods "
                + "restart on a node without uplink")
        }
        if requested == .node, let level = labels[podSecurityEnforceLabel], hostPathForbidden(level) {
            return ArchiveCacheStatus(mode: .pod, message: "\(source) asks for the node cache, but the namespace enforces "
                + "PodSecurity \(level), which forbids hostPath volumes; the archive is kept in the pod only. Label the "
                + "namespace \(podSecurityEnforceLabel)=privileged to use the node cache")
        }
        switch requested {
        case .node:
            return ArchiveCacheStatus(mode: .node, message: "the archive is kept in the node's cache (\(source)), so pods "
                + "restart on a node without uplink")
        case .pod:
            return ArchiveCacheStatus(mode: .pod, message: "the archive is kept in the pod only (\(source))")
        }
    }

    static let podSecurityEnforceLabel = "pod-security.kubernetes.io/enforce"

    private static func hostPathForbidden(_ level: String) -> Bool {
        level == "baseline" || level == "restricted"
    }

    /// The most bytes the archive may unpack to: what `fetch` allows by default for this size.
    public var extractedLimitBytes: Int64? {
        archiveBytes.map { $0.multipliedReportingOverflow(by: 4).partialValue &+ (256 << 20) }
    }

    /// The models volume's size limit.
    public func modelsVolumeLimit(settings: OperatorSettings) -> Quantity {
        guard let archiveBytes, let extracted = extractedLimitBytes else { return settings.modelVolumeSizeLimit }
        let ceiling = NSDecimalNumber(decimal: settings.modelVolumeSizeLimit.decimal).int64Value
        let needed = extracted + (cache == .pod ? archiveBytes : 0)
        guard needed > 0, needed < ceiling else { return settings.modelVolumeSizeLimit }
        let mebibytes = (needed + (1 << 20) - 1) >> 20
        return Quantity(mebibytes << 20, binary: true)
    }
}
