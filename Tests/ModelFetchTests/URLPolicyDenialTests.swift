import Foundation
import ModelFetch
import Testing

/// Issue 10, finding 7: what the download policy must refuse, in every spelling.
@Suite("Download URL policy: cloud metadata, translated IPv6 forms, loopback and cluster networks")
struct URLPolicyDenialTests {
    let resolver = TableResolver(table: [
        "models.example.test": ["127.0.0.1"],
        "kubernetes.default.svc": ["10.96.0.1"],
        "sixtofour.example.test": ["2002:a83f:8110::1"],
    ])

    func refusal(_ url: String, policy: URLPolicy = .standard) -> ModelFetchError? {
        do {
            _ = try policy.check(try ParsedURL(url), resolver: resolver)
            return nil
        } catch {
            return error
        }
    }

    @Test("Azure's wire server and the metadata addresses hidden in 6to4, Teredo, NAT64 and compatible forms are denied",
          arguments: [
            "http://168.63.129.16/machine?comp=goalstate",   // Azure
            "http://[2002:a9fe:a9fe::1]/latest/meta-data/",   // 6to4 of 169.254.169.254
            "http://[2002:a83f:8110::]/",                     // 6to4 of 168.63.129.16
            "http://sixtofour.example.test/",                 // a name resolving to that
            "http://[64:ff9b:1::a9fe:a9fe]/",                  // local-use NAT64
            "http://[::169.254.169.254]/",                     // IPv4-compatible
            "http://[::ffff:0:a9fe:a9fe]/",                    // SIIT IPv4-translated
            "http://[2001:0:4136:e378:8000:63bf:5601:5601]/",  // Teredo, client 169.254.169.254 (inverted)
            "http://[fd20:ce::254]/computeMetadata/v1/",       // GCP over IPv6
          ])
    func metadataSpellings(url: String) throws {
        let error = try #require(refusal(url), "\(url) must be refused")
        #expect(error.reason == .urlNotAllowed, "\(url): \(error)")
        #expect(error.description.contains("never fetched"), "\(url): \(error)")
    }

    @Test("loopback stays allowed by default and is refused when the policy says so, in every spelling")
    func loopback() throws {
        #expect(refusal("http://127.0.0.1:8080/m.tgz") == nil)
        #expect(!URLPolicy.standard.deniesLoopback)
        let strict = URLPolicy.standard.denyingLoopback()
        #expect(strict.deniesLoopback)
        for url in ["http://127.0.0.1:8080/m.tgz", "http://models.example.test/m.tgz", "http://[::1]/m.tgz",
                    "http://0.0.0.0:8080/m.tgz", "http://[::ffff:127.0.0.1]/m.tgz", "http://[2002:7f00:1::]/m.tgz"] {
            let error = try #require(refusal(url, policy: strict), "\(url) must be refused")
            #expect(error.reason == .urlNotAllowed)
            #expect(error.description.contains("loopback"), "\(url): \(error)")
        }
        let fromFlags = try URLPolicy(allow: [], deny: [], denyLoopback: true)
        #expect(fromFlags.deniesLoopback)
        #expect(refusal("http://127.0.0.1/m.tgz", policy: fromFlags)?.reason == .urlNotAllowed)
    }

    @Test("the operator can add the API server's address, the pod and service CIDRs and host names")
    func clusterNetworks() throws {
        let cluster = URLPolicy.standard.denying(networks: [try CIDRBlock.parse("10.96.0.0/12"), try CIDRBlock.parse("10.244.0.0/16")],
                                                 hosts: ["*.svc.cluster.local"])
        let service = try #require(refusal("https://kubernetes.default.svc/api/v1/pods", policy: cluster))
        #expect(service.description.contains("10.96.0.0/12") && service.description.contains("denied by the download policy"))
        #expect(refusal("http://10.244.3.7:9000/m.tgz", policy: cluster)?.reason == .urlNotAllowed)
        #expect(refusal("http://minio.models.svc.cluster.local/m.tgz", policy: cluster)?.reason == .urlNotAllowed)
        #expect(refusal("http://127.0.0.1:8080/m.tgz", policy: cluster) == nil)
        #expect(refusal("http://168.63.129.16/", policy: cluster)?.reason == .urlNotAllowed, "the defaults stay")
    }
}
