import Foundation
import ModelAPI
import Testing

@Suite struct QuantityTests {
    @Test(arguments: [
        ("6Gi", Int64(6144)), ("512Mi", 512), ("1.5Gi", 1536), ("1G", 954), ("1", 1), ("1Ki", 1),
        ("0", 0), ("1e9", 954), ("16Gi", 16384),
    ])
    func memoryInMiBRoundsUp(text: String, mebibytes: Int64) throws {
        #expect(try ResourceQuantity(parsing: text).mebibytesRoundedUp == mebibytes)
    }

    @Test(arguments: [("500m", Int64(500)), ("2", 2000), ("0.1", 100), ("1.", 1000), (".5", 500), ("250u", 1)])
    func cpuInMilliunitsRoundsUp(text: String, milli: Int64) throws {
        #expect(try ResourceQuantity(parsing: text).milliValueRoundedUp == milli)
    }

    @Test(arguments: ["", "Gi", "6 Gi", "6GB", "1.2.3", "abc", "1e", "--1"])
    func malformedQuantitiesAreRejected(text: String) {
        #expect(throws: ResourceQuantity.ParseError.self) { try ResourceQuantity(parsing: text) }
    }

    @Test func gpuMemoryIsReportedInMiB() {
        #expect(GPURequirements(memory: "6Gi").memoryMiB == 6144)
        #expect(GPURequirements(memory: "lots").memoryMiB == nil)
        #expect(GPURequirements().isExclusive == false)
        #expect(GPURequirements(exclusive: true).isExclusive)
    }
}
