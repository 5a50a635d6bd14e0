import Foundation

/// The suite's one way to wait for something: polls `probe` every `interval` until it returns a
/// value, and returns that value; throws an ``E2EFailure`` naming `what` (and the probe's last
/// error, if any) when `timeout`, multiplied by `E2E_TIMEOUT_SCALE`, passes first. A probe
/// that throws counts as "not yet".
@discardableResult
func eventuallyValue<Value>(_ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(100),
                            _ probe: () async throws -> Value?) async throws -> Value {
    let limit = E2EEnvironment.current.scaled(timeout)
    let deadline = ContinuousClock.now + limit
    var lastError: (any Error)?
    while true {
        do {
            if let value = try await probe() { return value }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            lastError = error
        }
        guard ContinuousClock.now < deadline else { break }
        try await Task.sleep(for: interval)
    }
    throw E2EFailure("not \(what) within \(limit)" + (lastError.map { "; last error: \($0)" } ?? ""))
}

/// ``eventuallyValue(_:timeout:every:_:)`` for a condition: returns once it holds.
func eventually(_ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(100),
                _ condition: () async throws -> Bool) async throws {
    try await eventuallyValue(what, timeout: timeout, every: interval) { try await condition() ? true : nil }
}

/// A failed end-to-end step, and why.
struct E2EFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
