import KubeModel
import Testing
@testable import Controller

@Suite struct InformerIndexTests {
    struct Item: Sendable {
        var owner: String
    }

    @Test func objectsMoveBetweenValuesAndLeaveOnDelete() {
        var index = InformerIndex<Item> { [$0.owner] }
        let a = ObjectKey(namespace: "ns", name: "a"), b = ObjectKey(namespace: "ns", name: "b")
        index.update(key: a, old: nil, new: Item(owner: "uid-1"))
        index.update(key: b, old: nil, new: Item(owner: "uid-1"))
        #expect(index.entries["uid-1"] == [a, b])
        index.update(key: b, old: Item(owner: "uid-1"), new: Item(owner: "uid-2"))
        #expect(index.entries["uid-1"] == [a])
        #expect(index.entries["uid-2"] == [b])
        index.update(key: a, old: Item(owner: "uid-1"), new: nil)
        #expect(index.entries["uid-1"] == nil)
    }
}
