import KubeModel

extension ObjectMeta {
    /// A child's metadata as its cache projection keeps it: all of it but `creationTimestamp`,
    /// which the operator never reads (a heap string per object; an update without it keeps the
    /// stored one, as the API server resets it from the old object).
    var keptForChildCache: ObjectMeta {
        var metadata = self
        metadata.creationTimestamp = nil
        return metadata
    }
}
