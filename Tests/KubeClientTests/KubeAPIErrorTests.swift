import Foundation
import Testing
@testable import KubeClient
import KubeModel

private func statusBody(code: Int, reason: String, message: String, extra: [String: JSONValue] = [:]) -> ScriptedReply {
    var body: [String: JSONValue] = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                                     "message": .string(message), "reason": .string(reason), "code": .int(Int64(code))]
    for (key, value) in extra { body[key] = value }
    return .json(code, .object(body))
}

private func failure(of reply: ScriptedReply) async throws -> KubeAPIError {
    let client = RESTClient(transport: ScriptedTransport(always: reply))
    do {
        _ = try await client.get(.deployments, namespace: "prod", name: "web")
    } catch let error as KubeAPIError {
        return error
    }
    throw TransportFailure(description: "the request did not fail with a KubeAPIError")
}

@Suite struct KubeAPIErrorTests {
    @Test func notFoundKeepsCodeReasonAndMessage() async throws {
        let error = try await failure(of: statusBody(code: 404, reason: "NotFound",
                                                     message: "deployments.apps \"web\" not found",
                                                     extra: ["details": ["name": "web", "group": "apps", "kind": "deployments"]]))
        #expect(error.code == 404)
        #expect(error.reason == "NotFound")
        #expect(error.message == "deployments.apps \"web\" not found")
        #expect(error.status?.details?.name == "web")
        #expect(error.isNotFound && !error.isConflict && !error.isGone)
        #expect(error.description == "Kubernetes API error 404 NotFound: deployments.apps \"web\" not found "
            + "(GET /apis/apps/v1/namespaces/prod/deployments/web)")
    }

    @Test func conflictAndAlreadyExistsAreToldApart() async throws {
        let conflict = try await failure(of: statusBody(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified"))
        #expect(conflict.isConflict && !conflict.isAlreadyExists)
        let exists = try await failure(of: statusBody(code: 409, reason: "AlreadyExists",
                                                      message: "deployments.apps \"web\" already exists"))
        #expect(exists.isAlreadyExists && !exists.isConflict)
    }

    @Test func goneAndExpired() async throws {
        let gone = try await failure(of: statusBody(code: 410, reason: "Expired", message: "too old resource version"))
        #expect(gone.isGone)
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        let fromHeader = try await failure(of: .response(HTTPResponse(
            status: 429, headers: ["retry-after": "3"],
            body: Data(#"{"kind":"Status","status":"Failure","reason":"TooManyRequests","message":"slow down","code":429}"#.utf8))))
        #expect(fromHeader.isTooManyRequests)
        #expect(fromHeader.retryAfter == .seconds(3))
        let fromDetails = try await failure(of: statusBody(code: 429, reason: "TooManyRequests", message: "slow down",
                                                           extra: ["details": ["retryAfterSeconds": 5]]))
        #expect(fromDetails.retryAfter == .seconds(5))
    }

    @Test func nonStatusBodiesStillGiveAClearError() async throws {
        let error = try await failure(of: .response(HTTPResponse(
            status: 502, headers: ["content-type": "text/html"], body: Data("<html>Bad Gateway</html>".utf8))))
        #expect(error.code == 502)
        #expect(error.reason == nil)
        #expect(error.description.contains("502"))
        #expect(error.description.contains("<html>Bad Gateway</html>"))
        let empty = try await failure(of: .response(HTTPResponse(status: 503)))
        #expect(empty.description.contains("503") && empty.description.contains("empty response body"))
    }

    @Test func longBodiesAreCut() {
        let error = KubeAPIError(code: 500, headers: [:], body: Data(repeating: 0x61, count: 5000), method: "GET", path: "/x")
        #expect(error.message.count < 700)
        #expect(error.message.contains("5000 bytes"))
    }
}
