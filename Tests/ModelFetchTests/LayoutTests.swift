import Foundation
import ModelFetch
import TestSupport
import Testing

@Suite("Serving layouts")
struct LayoutTests {
    /// Builds a staging tree from `files` inside `dest`, installs it, returns the dest listing.
    func install(_ layout: ServingLayout, _ files: [String], model: String? = "facial", version: String? = "4") throws -> (String, [String]) {
        let dir = try TempDir()
        defer { dir.remove() }
        let dest = dir.path + "/models"
        let staging = dest + "/.staging"
        for file in files {
            let path = staging + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        }
        let installed = try layout.install(staging: staging, dest: dest, model: model, version: version)
        let relative = String(installed.dropFirst(dest.count))
        let listing = dir.listing("models").filter { !$0.hasPrefix(".staging") }
        return (relative, listing.filter { !isDirectory(dest + "/" + $0) })
    }

    func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    @Test("tensorflow: files land in <dest>/<model>/<version>/, unwrapping model, version and numeric dirs")
    func tensorflow() throws {
        let bare = try install(.tensorflow, ["saved_model.pb", "variables/v.index"])
        #expect(bare.0 == "/facial/4")
        #expect(bare.1 == ["facial/4/saved_model.pb", "facial/4/variables/v.index"])
        let wrapped = try install(.tensorflow, ["facial/1/saved_model.pb"])
        #expect(wrapped.1 == ["facial/4/saved_model.pb"])
        let versioned = try install(.tensorflow, ["4/saved_model.pb"])
        #expect(versioned.1 == ["facial/4/saved_model.pb"])
        let other = try install(.tensorflow, ["export/saved_model.pb"])
        #expect(other.1 == ["facial/4/export/saved_model.pb"])
    }

    @Test("triton: model directory with config.pbtxt beside the version directory")
    func triton() throws {
        let files = try install(.triton, ["model.onnx", "config.pbtxt"])
        #expect(files.1 == ["facial/4/model.onnx", "facial/config.pbtxt"])
        let repo = try install(.triton, ["facial/config.pbtxt", "facial/1/model.plan"])
        #expect(repo.1 == ["facial/4/model.plan", "facial/config.pbtxt"])
    }

    @Test("plain: contents unchanged under dest")
    func plain() throws {
        let result = try install(.plain, ["m/model.onnx"], model: nil, version: nil)
        #expect(result.0 == "")
        #expect(result.1 == ["m/model.onnx"])
    }

    @Test("a link that stayed inside the archive but would climb out of the unwrapped version directory is refused")
    func linksCheckedAfterUnwrapping() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let staging = dir.path + "/models/.staging"
        try FileManager.default.createDirectory(atPath: staging + "/facial/4", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: staging + "/facial/4/weights", withDestinationPath: "../../shared")
        #expect {
            try ServingLayout.tensorflow.install(staging: staging, dest: dir.path + "/models", model: "facial", version: "4")
        } throws: { error in
            (error as? ModelFetchError)?.reason == .unsafeArchive && "\(error)".contains("points outside the destination")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/models/facial/4"))
    }

    @Test("tensorflow and triton need safe model and version names")
    func names() {
        #expect(throws: ModelFetchError.self) { try install(.tensorflow, ["a"], model: nil, version: "1") }
        #expect {
            try install(.tensorflow, ["a"], model: "m", version: "../1")
        } throws: { error in
            "\(error)".contains("cannot be a directory name")
        }
    }

    @Test("a model or version name hiding a slash behind a combining mark is refused")
    func combiningSlashInNames() throws {
        for (model, version) in [("../\u{301}..", "1"), ("facial", "../\u{301}x"), ("facial", "..\u{301}/\u{301}..")] {
            #expect {
                try install(.tensorflow, ["saved_model.pb"], model: model, version: version)
            } throws: { error in
                "\(error)".contains("cannot be a directory name")
            }
        }
    }

    @Test("links that chain out of the unwrapped version directory are refused (the kernel follows b first)")
    func chainedLinksAfterUnwrapping() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let staging = dir.path + "/models/.staging"
        try FileManager.default.createDirectory(atPath: staging + "/facial/4", withIntermediateDirectories: true)
        // Inside the staging tree, 4/up resolves to facial/ (inside); once 4/ is the root, outside.
        try FileManager.default.createSymbolicLink(atPath: staging + "/facial/4/b", withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: staging + "/facial/4/up", withDestinationPath: "b/..")
        #expect {
            try ServingLayout.tensorflow.install(staging: staging, dest: dir.path + "/models", model: "facial", version: "4")
        } throws: { error in
            (error as? ModelFetchError)?.reason == .unsafeArchive && "\(error)".contains("points outside the destination")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/models/facial/4"))
    }
}
