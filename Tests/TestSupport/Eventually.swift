import Foundation

/// The tests' one way to wait for something: polls `probe` every `interval` until it returns a
/// value, and returns that value; throws ``WaitTimedOut`` naming `what` (or the caller's file and
/// line) once `timeout` passes first. A probe that throws ends the wait with its error, unless
/// `retryingErrors` is set: then the error counts as "not yet" and the last one is named on
/// timeout (for clusters that answer errors in passing).
@discardableResult
public func eventuallyValue<Value>(_ what: String? = nil, timeout: Duration = .seconds(30),
                                   every interval: Duration = .milliseconds(50), retryingErrors: Bool = false,
                                   fileID: String = #fileID, line: Int = #line,
                                   _ probe: () async throws -> Value?) async throws -> Value {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while true {
        do {
            if let value = try await probe() { return value }
        } catch let error where retryingErrors && !(error is CancellationError) {
            lastError = error
        }
        guard ContinuousClock.now < deadline else { break }
        try await Task.sleep(for: interval)
    }
    throw WaitTimedOut(what: what ?? "the condition at \(fileID):\(line)", timeout: timeout, lastError: lastError)
}

/// ``eventuallyValue(_:timeout:every:retryingErrors:fileID:line:_:)`` for a condition: returns once it holds.
public func eventually(_ what: String? = nil, timeout: Duration = .seconds(30),
                       every interval: Duration = .milliseconds(50), retryingErrors: Bool = false,
                       fileID: String = #fileID, line: Int = #line,
                       _ condition: () async throws -> Bool) async throws {
    try await eventuallyValue(what, timeout: timeout, every: interval, retryingErrors: retryingErrors,
                              fileID: fileID, line: line) { try await condition() ? true : nil }
}

/// What ``eventually(_:timeout:every:retryingErrors:fileID:line:_:)`` throws when the time is up.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public let what: String
    public let timeout: Duration
    public let lastError: (any Error)?

    public var description: String {
        "not \(what) within \(timeout)" + (lastError.map { "; last error: \($0)" } ?? "")
    }
}
