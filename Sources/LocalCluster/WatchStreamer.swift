import Foundation
import KubeModel

extension APIHandler {
    /// A watch response: newline-delimited JSON events; BOOKMARKs every `bookmarkInterval` when
    /// `allowWatchBookmarks=true`; ends after `timeoutSeconds`, on a 410 ERROR event, or when the client leaves.
    func watch(_ target: ResourceRequest, labelSelector: LabelSelector, fieldSelector: FieldSelector,
               query: [String: String], table: TableRequest?) async throws(APIError) -> ServerResponse {
        let sendInitialEvents = query["sendInitialEvents"] == "true"
        let (items, subscription) = try await store.watch(
            target.type, namespace: target.namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
            resourceVersion: query["resourceVersion"], sendInitialEvents: sendInitialEvents,
            failExpired: expiredWatchAsHTTPStatus)
        let bookmarks = query["allowWatchBookmarks"] == "true"
        let timeout = query["timeoutSeconds"].flatMap { Int($0) }.map { Duration.seconds($0) }
        let (output, continuation) = AsyncStream<Data>.makeStream()
        let store = self.store
        let interval = bookmarkInterval
        let type = target.type
        let chunkSizes = watchChunkSizes
        let converter = table.map { TableConverter(type: type, includeObject: $0.includeObject) }
        let producer = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await item in items {
                        let event: JSONValue
                        switch item {
                        case .event(let eventType, let payload):
                            guard let converter else {
                                Self.send(Data(payload.eventLine(eventType, presentingAs: type)), chunkSizes, continuation)
                                continue
                            }
                            let table = converter.table(for: [type.presenting(payload.object)],
                                                        listMetadata: ["resourceVersion": .string(payload.object.metaResourceVersion)])
                            event = ["type": .string(eventType.rawValue), "object": table]
                        case .bookmark(let rv, let initialEventsEnd):
                            if !bookmarks && !initialEventsEnd { continue }
                            var metadata: JSONValue = ["resourceVersion": .string(String(rv))]
                            if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
                            event = ["type": "BOOKMARK", "object": [
                                "kind": .string(type.kind), "apiVersion": .string(type.apiVersion), "metadata": metadata,
                            ]]
                        case .error(let error):
                            event = ["type": "ERROR", "object": error.status]
                        }
                        var line = Data(event.jsonBytes)
                        line.append(UInt8(ascii: "\n"))
                        Self.send(line, chunkSizes, continuation)
                        if case .error = item { return }
                    }
                }
                if bookmarks, let subscription {
                    group.addTask {
                        while !Task.isCancelled {
                            do { try await Task.sleep(for: interval) } catch { return }
                            await store.bookmark(subscription)
                        }
                    }
                }
                if let timeout {
                    group.addTask { try? await Task.sleep(for: timeout) }
                }
                _ = await group.next()
                group.cancelAll()
            }
            continuation.finish()
            if let subscription { await store.endWatch(subscription) }
        }
        continuation.onTermination = { _ in producer.cancel() }
        return .stream(status: 200, contentType: "application/json", body: output)
    }

    /// Sends one line whole, or in random chunks when the test options ask for split reads.
    private static func send(_ line: Data, _ chunkSizes: ClosedRange<Int>?, _ continuation: AsyncStream<Data>.Continuation) {
        guard let chunkSizes, chunkSizes.lowerBound > 0 else {
            continuation.yield(line)
            return
        }
        var offset = 0
        while offset < line.count {
            let size = min(Int.random(in: chunkSizes), line.count - offset)
            continuation.yield(line.subdata(in: offset..<offset + size))
            offset += size
        }
    }
}
