import Foundation
import ModelFetch
import Testing
import TestSupport

@Suite("fetch --prepare-cache gives the node cache to the fetch user")
struct CachePreparationTests {
    static let runsAsRoot = getuid() == 0

    @Test("the cache and its entries become the fetch user's, mode 0750; links are not followed",
          .enabled(if: runsAsRoot, "changing ownership needs root, as in the pod's prepare-cache container"))
    func handsOver() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let cache = dir.path + "/cache"
        try FileManager.default.createDirectory(atPath: cache + "/sha256", withIntermediateDirectories: true)
        let entry = cache + "/sha256/" + String(repeating: "a", count: 64)
        try Data("archive".utf8).write(to: URL(fileURLWithPath: entry))
        let outside = dir.path + "/outside"
        try Data("not the cache's".utf8).write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createSymbolicLink(atPath: cache + "/sha256/link", withDestinationPath: outside)

        try CachePreparation.prepare(root: cache, owner: 65532, group: 65532)

        for path in [cache, cache + "/sha256", entry] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 65532, "\(path)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o750)
        let target = try FileManager.default.attributesOfItem(atPath: outside)
        #expect((target[.ownerAccountID] as? NSNumber)?.intValue == 0, "the link's target outside the cache kept its owner")
    }

    @Test("a file where the cache directory belongs is an error that says what to remove")
    func notADirectory() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let cache = dir.path + "/cache"
        try Data().write(to: URL(fileURLWithPath: cache))
        #expect {
            try CachePreparation.prepare(root: cache, owner: getuid(), group: getgid())
        } throws: { error in
            (error as? ModelFetchError)?.description.contains("is not a directory") == true
        }
    }
}
