import Foundation

/// A parsed Prometheus text exposition (format 0.0.4): every sample with its labels and value,
/// and each family's declared `# TYPE`. Enough of the format for tests to read `/metrics`.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    private(set) var samples: [Sample] = []
    /// `# TYPE` declarations: family name → counter, gauge, histogram, summary or untyped.
    private(set) var types: [String: String] = [:]

    init(parsing text: String) throws {
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                if parts.count >= 4, parts[1] == "TYPE" { types[parts[2]] = parts[3] }
                continue
            }
            guard let sample = Self.sample(line) else {
                throw E2EFailure("line \(number + 1) of the metrics text is not a sample: \(line)")
            }
            samples.append(sample)
        }
    }

    /// Every sample of `name` whose labels include `labels`.
    func samples(_ name: String, _ labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The value of the one sample of `name` with `labels` (the sum when several match); nil when none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples(name, labels)
        return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
    }

    /// The names of every sample.
    var names: Set<String> { Set(samples.map(\.name)) }

    // MARK: - Parsing one sample line: name{label="value",...} value [timestamp]

    private static func sample(_ line: String) -> Sample? {
        var scalars = Substring(line)
        let name = String(scalars.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard !name.isEmpty else { return nil }
        scalars = scalars.dropFirst(name.count)
        var labels: [String: String] = [:]
        if scalars.first == "{" {
            scalars = scalars.dropFirst()
            while true {
                scalars = scalars.drop { $0 == " " || $0 == "," }
                if scalars.first == "}" {
                    scalars = scalars.dropFirst()
                    break
                }
                let key = String(scalars.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                scalars = scalars.dropFirst(key.count)
                guard !key.isEmpty, scalars.first == "=" else { return nil }
                scalars = scalars.dropFirst()
                guard scalars.first == "\"" else { return nil }
                scalars = scalars.dropFirst()
                var value = ""
                var closed = false
                while let character = scalars.first {
                    scalars = scalars.dropFirst()
                    if character == "\\" {
                        guard let escaped = scalars.first else { return nil }
                        scalars = scalars.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return nil }
                labels[key] = value
            }
        }
        let fields = scalars.split(separator: " ")
        guard let valueText = fields.first, fields.count <= 2, let value = number(String(valueText)) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}
