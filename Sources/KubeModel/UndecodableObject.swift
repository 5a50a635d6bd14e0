import Foundation

/// An object of a list or watch that did not decode as the expected type (a custom resource
/// stored with `replicas: 9.2e18`, say). It is skipped and counted; it never stops the list or
/// the watch of the other objects. Only what names it is kept.
public struct UndecodableObject: Sendable, Hashable, CustomStringConvertible {
    public var namespace: String?
    public var name: String?
    public var resourceVersion: String?
    /// What did not decode, with the field's path.
    public var problem: String

    public init(namespace: String? = nil, name: String? = nil, resourceVersion: String? = nil, problem: String) {
        self.namespace = namespace
        self.name = name
        self.resourceVersion = resourceVersion
        self.problem = problem
    }

    public var description: String {
        let key = [namespace, name].compactMap { $0 }.joined(separator: "/")
        return "\(key.isEmpty ? "(unnamed object)" : key): \(problem)"
    }

    /// The identity of an object that failed to decode: its metadata, read leniently.
    package struct Identity: Decodable {
        package struct Metadata: Decodable {
            var namespace: String?
            var name: String?
            var resourceVersion: String?
        }
        var metadata: Metadata?
    }

    package init(identity: Identity?, error: Error) {
        self.init(namespace: identity?.metadata?.namespace, name: identity?.metadata?.name,
                  resourceVersion: identity?.metadata?.resourceVersion, problem: DecodingErrorDescription.text(for: error))
    }
}

/// One element of a list or watch object: the decoded object, or what names the one that did not decode.
package enum LenientElement<Object: Decodable>: Decodable {
    case decoded(Object)
    case undecodable(UndecodableObject)

    package init(from decoder: Decoder) throws {
        do {
            self = .decoded(try Object(from: decoder))
        } catch {
            // Not only DecodingError: Foundation reports a number that fits no Swift type
            // (`9.223372036854776e+18` as Int) with an error of its own.
            self = .undecodable(UndecodableObject(identity: try? UndecodableObject.Identity(from: decoder), error: error))
        }
    }
}
