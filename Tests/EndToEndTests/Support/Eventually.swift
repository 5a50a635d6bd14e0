import Foundation
import TestSupport

/// The suite's waits: TestSupport's `eventuallyValue` with the suite's policy. `timeout`
/// (60 s unless given) is multiplied by `E2E_TIMEOUT_SCALE`; a probe that throws counts as "not
/// yet" (a real cluster answers errors in passing), and its last error is named on timeout as an
/// ``E2EFailure``. These shadow TestSupport's functions of the same name in this module.
@discardableResult
func eventuallyValue<Value>(_ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(100),
                            _ probe: () async throws -> Value?) async throws -> Value {
    do {
        return try await TestSupport.eventuallyValue(what, timeout: E2EEnvironment.current.scaled(timeout), every: interval,
                                                     retryingErrors: true, probe)
    } catch let timedOut as WaitTimedOut {
        throw E2EFailure(timedOut.description)
    }
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
