import Foundation
import ModelFetch
import Testing

/// Resolves names from a fixed table, so policy checks on host names never touch DNS.
struct TableResolver: HostResolving {
    let table: [String: [String]]
    func resolve(host: String, port: Int) throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        guard let names = table[host] else { throw HostResolutionError(host: host, detail: "unknown in test table") }
        return names.compactMap(IPAddress.init)
    }
}

@Suite("Download URL policy")
struct URLPolicyTests {
    let resolver = TableResolver(table: [
        "models.example.test": ["127.0.0.1"],
        "metadata.example.test": ["127.0.0.1", "169.254.169.254"],
        "v6.example.test": ["::1"],
    ])

    func check(_ policy: URLPolicy, _ url: String) throws(ModelFetchError) -> CheckedURL {
        try policy.check(try ParsedURL(url), resolver: resolver)
    }

    func refusal(_ url: String, policy: URLPolicy = .standard) -> ModelFetchError? {
        do {
            _ = try check(policy, url)
            return nil
        } catch {
            return error
        }
    }

    @Test("only http and https")
    func schemes() throws {
        #expect(try check(.standard, "http://127.0.0.1:8080/m.tar.gz").address.description == "127.0.0.1")
        #expect(try check(.standard, "https://127.0.0.1/m.tar.gz").url.port == 443)
        let file = try #require(refusal("file:///etc/passwd"))
        #expect(file.reason == .urlNotAllowed)
        #expect(file.description.contains("scheme \"file\" is not allowed"))
        let ftp = try #require(refusal("ftp://127.0.0.1/m.tar.gz"))
        #expect(ftp.reason == .urlNotAllowed)
        #expect(ftp.description.contains("only http and https"))
    }

    @Test("malformed URLs are InvalidURL")
    func malformed() throws {
        for url in ["", "not a url", "http://", "http://exa mple.test/x"] {
            let error = try #require(refusal(url), "\(url) should be refused")
            #expect(error.reason == .invalidURL, "\(url): \(error)")
        }
    }

    @Test("link-local and metadata addresses are denied by default, in every spelling")
    func metadata() throws {
        for url in ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x", "http://[fd00:ec2::254]/x",
                    "http://[::ffff:169.254.169.254]/x", "http://169.254.1.2:8080/m.tgz"] {
            let error = try #require(refusal(url), "\(url) should be refused")
            #expect(error.reason == .urlNotAllowed, "\(url): \(error)")
            #expect(error.description.contains("denied network"), "\(url): \(error)")
        }
    }

    @Test("a host name is refused when any of its addresses is denied")
    func resolvedAddresses() throws {
        let error = try #require(refusal("http://metadata.example.test/m.tgz"))
        #expect(error.reason == .urlNotAllowed)
        #expect(error.description.contains("resolves to 169.254.169.254"))
        let ok = try check(.standard, "http://models.example.test:9000/m.tgz")
        #expect(ok.address.description == "127.0.0.1")
        #expect(ok.resolveEntry == "models.example.test:9000:127.0.0.1")
        #expect(try check(.standard, "http://v6.example.test/m.tgz").resolveEntry == "v6.example.test:80:[::1]")
    }

    @Test("denied CIDR blocks and hosts")
    func deniedEntries() throws {
        let policy = try URLPolicy(allow: [], deny: ["127.0.0.0/8", "evil.example.test"])
        let cidr = try #require(refusal("http://models.example.test/m.tgz", policy: policy))
        #expect(cidr.description.contains("127.0.0.0/8"))
        let host = try #require(refusal("http://evil.example.test/m.tgz", policy: policy))
        #expect(host.description.contains("denied by the download policy"))
        #expect(try check(policy, "http://[::1]/m.tgz").address.description == "::1")
        let v6 = try URLPolicy(allow: [], deny: ["::1/128"])
        #expect(refusal("http://v6.example.test/m.tgz", policy: v6)?.reason == .urlNotAllowed)
    }

    @Test("an allow list admits only its hosts and networks")
    func allowList() throws {
        let byHost = try URLPolicy(allow: ["*.example.test"], deny: [])
        #expect(try check(byHost, "http://models.example.test/m.tgz").url.host == "models.example.test")
        let outside = try #require(refusal("http://127.0.0.1/m.tgz", policy: byHost))
        #expect(outside.description.contains("not on the download allow list"))
        let byNetwork = try URLPolicy(allow: ["127.0.0.0/8"], deny: [])
        #expect(try check(byNetwork, "http://models.example.test/m.tgz").address.description == "127.0.0.1")
        #expect(refusal("http://[::1]/m.tgz", policy: byNetwork)?.reason == .urlNotAllowed)
        // Deny wins over allow: the metadata address stays refused even inside an allowed network.
        let wide = try URLPolicy(allow: ["0.0.0.0/0"], deny: [])
        #expect(refusal("http://169.254.169.254/", policy: wide)?.reason == .urlNotAllowed)
    }

    @Test("bad policy entries are reported with the expected form")
    func badConfig() {
        #expect {
            try URLPolicy(allow: ["10.0.0.0/33"], deny: [])
        } throws: { error in
            "\(error)".contains("not a CIDR block")
        }
        #expect {
            try URLPolicy(allow: ["exa mple"], deny: [])
        } throws: { error in
            "\(error)".contains("neither a host name")
        }
    }

    @Test("CIDR containment for IPv4, IPv6 and mapped addresses")
    func cidr() throws {
        let block = try #require(CIDRBlock("10.1.0.0/16"))
        #expect(block.contains(try #require(IPAddress("10.1.255.3"))))
        #expect(!block.contains(try #require(IPAddress("10.2.0.1"))))
        #expect(block.contains(try #require(IPAddress("::ffff:10.1.2.3"))))
        let v6 = try #require(CIDRBlock("fe80::/10"))
        #expect(v6.contains(try #require(IPAddress("febf::1"))))
        #expect(!v6.contains(try #require(IPAddress("fec0::1"))))
        #expect(CIDRBlock("10.1.2.3/7")?.description == "10.0.0.0/7")
        #expect(CIDRBlock("1.2.3.4/-1") == nil)
    }

    @Test("redirect locations resolve relative to the current URL")
    func redirects() throws {
        let base = try ParsedURL("http://127.0.0.1:8080/a/b/m.tgz")
        #expect(try base.resolving("../c.tgz").text == "http://127.0.0.1:8080/a/c.tgz")
        #expect(try base.resolving("/x").text == "http://127.0.0.1:8080/x")
        #expect(try base.resolving("http://169.254.169.254/").host == "169.254.169.254")
    }
}
