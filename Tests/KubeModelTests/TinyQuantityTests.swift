import Foundation
import KubeModel
import Testing

/// "1e-100" was reported as negative: dividing by 10^100 gave NaN.
@Suite struct TinyQuantityTests {
    /// Kubernetes rounds a positive quantity below one nano-unit up to 1n; it is not negative.
    @Test func aTinyPositiveQuantityIsPositive() throws {
        let tiny = try Quantity(parsing: "1e-100")
        #expect(tiny.decimal > 0, "\(tiny.decimal)")
        #expect(!(tiny < Quantity.zero))
        #expect(tiny == Quantity(decimal: Decimal(sign: .plus, exponent: -9, significand: 1)), "rounded up to 1n as Kubernetes does")
        #expect(try Quantity(parsing: "1.5e-3").decimal == Decimal(string: "0.0015"), "within nano precision nothing changes")
    }
}
