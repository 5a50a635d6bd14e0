/// A program that could not be started, and why.
public struct SpawnFailed: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}
