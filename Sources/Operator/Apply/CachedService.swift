import KubeModel

/// What the operator keeps of a Service in its cache: the metadata, and of the spec only what
/// the operator owns, as the server stores it (type, selector, ports without node ports;
/// `OwnedFields.ownedView`). The cluster IPs, IP families, policies and status are the
/// server's: nothing the operator reads, so they are not kept. An update, which must carry them
/// back, reads the whole Service from the server first (`ChildApplier`); updates are rare (a
/// hand edit, a new serving port), cached reads are not.
public struct CachedService: KubeObject, Hashable {
    public static var gvr: GroupVersionResource { Service.gvr }
    public static var gvk: GroupVersionKind { Service.gvk }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// The owned part of the spec, defaulted (`type` is `ClusterIP` when the server left it out).
    public var spec: ServiceSpec?

    /// The projection of a Service as read from or written to the API server.
    public init(_ service: Service) {
        apiVersion = service.apiVersion
        kind = service.kind
        metadata = service.metadata.keptForChildCache
        spec = service.spec.map(OwnedFields.ownedView)
    }

    public init(from decoder: any Decoder) throws {
        self.init(try Service(from: decoder))
    }

    /// A projection is never written: the operator writes whole `Service`s.
    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, EncodingError.Context(
            codingPath: encoder.codingPath, debugDescription: "a CachedService is a cache projection; write a Service"))
    }
}
