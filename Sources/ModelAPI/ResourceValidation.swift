import Foundation
import KubeModel

/// The rules for `spec.resources` and `spec.gpu`: quantities parse, nothing is negative, a
/// request does not exceed its limit, GPU memory is positive.
enum ResourceValidation {
    static func validate(resources: ServingResources?, gpu: GPURequirements?, into issues: inout IssueList) {
        if let resources {
            let requests = quantities(resources.requests, path: "spec.resources.requests", into: &issues)
            let limits = quantities(resources.limits, path: "spec.resources.limits", into: &issues)
            for name in requests.keys.sorted() {
                guard let request = requests[name], let limit = limits[name], request.value > limit.value else { continue }
                issues.error("spec.resources.requests.\(name)",
                             "spec.resources.requests.\(name) \(request) exceeds spec.resources.limits.\(name) \(limit); raise the limit or lower the request")
            }
        }
        if let gpu { validateGPU(gpu, into: &issues) }
    }

    /// Parses each quantity of a map, reporting the ones that are malformed or negative.
    private static func quantities(
        _ map: [String: String]?, path: String, into issues: inout IssueList
    ) -> [String: Quantity] {
        var result: [String: Quantity] = [:]
        for (name, text) in (map ?? [:]).sorted(by: { $0.key < $1.key }) {
            let field = "\(path).\(name)"
            if let problem = KubernetesSyntax.labelKeyProblem(name) {
                issues.error(path, "\(path) has a resource named \"\(name)\", which is not a resource name: \(problem); use names such as cpu, memory or nvidia.com/gpu")
                continue
            }
            switch parse(text) {
            case .success(let quantity) where quantity.decimal < 0:
                issues.error(field, "\(field) \(text) must not be negative")
            case .success(let quantity):
                result[name] = quantity
            case .failure(let problem):
                issues.error(field, "\(field) \(problem)")
            }
        }
        return result
    }

    private static func validateGPU(_ gpu: GPURequirements, into issues: inout IssueList) {
        if let memory = gpu.memory {
            switch parse(memory) {
            case .success(let quantity) where quantity.decimal <= 0:
                issues.error("spec.gpu.memory", "spec.gpu.memory \(memory) must be more than 0; set the GPU memory each replica needs, such as 6Gi, or remove it to accept any GPU")
            case .success:
                break
            case .failure(let problem):
                issues.error("spec.gpu.memory", "spec.gpu.memory \(problem)")
            }
        }
        var seen = Set<String>()
        for (index, product) in (gpu.products ?? []).enumerated() {
            let field = "spec.gpu.products[\(index)]"
            if product.isEmpty {
                issues.error(field, "\(field) is empty; name a GPU product as in the nvidia.com/gpu.product node label, such as Tesla-T4")
            } else if let problem = KubernetesSyntax.labelValueProblem(product) {
                issues.error(field, "\(field) \"\(product)\" cannot match the nvidia.com/gpu.product node label: \(problem); write it as the label does, such as Tesla-T4")
            } else if !seen.insert(product).inserted {
                issues.error(field, "\(field) \"\(product)\" is listed twice; list each product once")
            }
        }
    }

    /// A quantity, or a sentence saying why the text is not one and how to write one.
    private static func parse(_ text: String) -> Result<Quantity, QuantityProblem> {
        do {
            return .success(try Quantity(parsing: text))
        } catch let error as QuantityError {
            return .failure(QuantityProblem(text: text, problem: error.problem))
        } catch {
            return .failure(QuantityProblem(text: text, problem: "\(error)"))
        }
    }
}

/// Why a string is not a quantity, phrased for a validation message.
struct QuantityProblem: Error, CustomStringConvertible {
    var text: String
    var problem: String

    var description: String {
        "\"\(text)\" is not a quantity: \(problem); write a number with an optional suffix, such as 500m, 2, 512Mi or 6Gi"
    }
}
