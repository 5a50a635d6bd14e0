import CurlHTTP
import Foundation
import Testing

@Suite("CurlEngine TLS against openssl s_server")
struct CurlTLSTests {
    let engine = CurlEngine()

    private func get(_ server: OpenSSLTestServer, tls: TLSOptions) async throws -> CurlResponse {
        try await engine.send(CurlRequest(url: server.baseURL + "/", options: .init(timeout: .seconds(30), tls: tls)))
    }

    @Test("the right CA, as a file or as PEM data, verifies the server")
    func verifiedWithRightCA() async throws {
        try await withTLSServer { pki, server in
            let viaFile = try await get(server, tls: TLSOptions(certificateAuthority: .file(pki.caFile)))
            #expect(viaFile.head.status == 200)
            let viaData = try await get(server, tls: TLSOptions(certificateAuthority: .pem(try pki.contents("ca.pem"))))
            #expect(viaData.head.status == 200)
        }
    }

    @Test("a wrong CA fails with a TLS error; the explicit insecure flag accepts it")
    func wrongCA() async throws {
        try await withTLSServer { pki, server in
            let error = await #expect(throws: CurlError.self) {
                _ = try await get(server, tls: TLSOptions(certificateAuthority: .file(pki.otherCAFile)))
            }
            #expect(error?.kind == .tls)
            let insecure = try await get(server, tls: TLSOptions(certificateAuthority: .file(pki.otherCAFile),
                                                                  insecureSkipVerify: true))
            #expect(insecure.head.status == 200)
        }
    }

    @Test("a server that requires a client certificate accepts one given as files or PEM data")
    func clientCertificatePresented() async throws {
        try await withTLSServer(requireClientCertificate: true) { pki, server in
            let files = TLSOptions(certificateAuthority: .file(pki.caFile),
                                   clientCertificate: .file(pki.clientCertificateFile), clientKey: .file(pki.clientKeyFile))
            #expect(try await get(server, tls: files).head.status == 200)
            let blobs = TLSOptions(certificateAuthority: .pem(try pki.contents("ca.pem")),
                                   clientCertificate: .pem(try pki.contents("client.pem")),
                                   clientKey: .pem(try pki.contents("client.key")))
            #expect(try await get(server, tls: blobs).head.status == 200)
        }
    }

    @Test("a server that requires a client certificate refuses a client without one")
    func clientCertificateAbsent() async throws {
        try await withTLSServer(requireClientCertificate: true) { pki, server in
            await #expect(throws: CurlError.self) {
                _ = try await get(server, tls: TLSOptions(certificateAuthority: .file(pki.caFile)))
            }
        }
    }
}
