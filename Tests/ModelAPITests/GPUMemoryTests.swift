import Foundation
import KubeModel
import ModelAPI
import Testing

/// GPU memory as placement reads it: MiB, rounded up, as the `nvidia.com/gpu.memory` label counts.
@Suite struct GPUMemoryTests {
    @Test(arguments: [
        ("6Gi", Int64(6144)), ("512Mi", 512), ("1.5Gi", 1536), ("1G", 954), ("1Ki", 1), ("16Gi", 16384), ("1e9", 954),
    ])
    func memoryInMiBRoundsUp(text: String, mebibytes: Int64) {
        #expect(GPURequirements(memory: text).memoryMiB == mebibytes)
    }

    @Test func malformedOrAbsentMemoryHasNoMiB() {
        #expect(GPURequirements(memory: "lots").memoryMiB == nil)
        #expect(GPURequirements(memory: "6GB").memoryMiB == nil)
        #expect(GPURequirements().memoryMiB == nil)
    }

    @Test func sharedIsTheDefault() {
        #expect(GPURequirements().isExclusive == false)
        #expect(GPURequirements(exclusive: false).isExclusive == false)
        #expect(GPURequirements(exclusive: true).isExclusive)
    }

    @Test func anEmptyMemoryStringMeansAnyGPU() throws {
        let gpu = try JSONValue.object(["memory": "", "products": ["Tesla-T4"]]).decode(as: GPURequirements.self)
        #expect(gpu.memory == nil)
        #expect(gpu.products == ["Tesla-T4"])
    }
}
