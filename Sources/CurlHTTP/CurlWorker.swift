import CCurl
import Foundation
import Synchronization

/// libcurl's process-wide initialisation, run once before the first handle is made.
private let curlGlobalInitialization: Void = {
    _ = curl_global_init(ccurl_global_default())
}()

/// The thread that owns the engine's curl multi handle. Other threads talk to it only through
/// `submit`, which queues a command and wakes the thread with `curl_multi_wakeup`; the thread
/// sleeps in `curl_multi_poll` while nothing happens, however many transfers are open.
final class CurlWorker: Sendable {
    enum Command: Sendable {
        case start(id: UInt64, request: CurlRequest, sink: CurlTransferSink)
        case cancel(id: UInt64)
        case resume(id: UInt64)
    }

    private struct Inbox {
        var commands: [Command] = []
        var shuttingDown = false
    }

    private let inbox = Mutex(Inbox())
    /// The multi handle. Only the worker thread uses it, except `curl_multi_wakeup`, which libcurl
    /// documents as callable from any thread; the pointer itself never changes.
    nonisolated(unsafe) private let multi: UnsafeMutableRawPointer

    init() {
        curlGlobalInitialization
        // curl_multi_init returns nil only when memory is exhausted, which the process cannot survive anyway.
        multi = curl_multi_init()!
    }

    /// Starts the worker thread. It runs until `shutDown()`.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "curl-engine"
        thread.start()
    }

    /// Queues a command for the worker thread and wakes it.
    func submit(_ command: Command) {
        inbox.withLock { inbox in
            if inbox.shuttingDown, case .start(_, let request, let sink) = command {
                sink.finish(head: nil, error: CurlError.engineShutDown(url: request.url))
                return
            }
            inbox.commands.append(command)
        }
        curl_multi_wakeup(multi)
    }

    /// Ends the thread: running transfers fail with an engine-shut-down error.
    func shutDown() {
        inbox.withLock { $0.shuttingDown = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        var transfers: [UInt64: CurlEasyTransfer] = [:]
        while true {
            let (commands, shuttingDown) = inbox.withLock { inbox in
                defer { inbox.commands = [] }
                return (inbox.commands, inbox.shuttingDown)
            }
            for command in commands {
                handle(command, transfers: &transfers)
            }
            if shuttingDown {
                for transfer in transfers.values {
                    curl_multi_remove_handle(multi, transfer.easy)
                    transfer.sink.finish(head: nil, error: CurlError.engineShutDown(url: transfer.sink.url))
                }
                transfers = [:]
                curl_multi_cleanup(multi)
                return
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinishedTransfers(&transfers)
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func handle(_ command: Command, transfers: inout [UInt64: CurlEasyTransfer]) {
        switch command {
        case .start(let id, let request, let sink):
            guard !sink.isCancelled else { return }
            do {
                let transfer = try CurlEasyTransfer(id: id, request: request, sink: sink)
                let code = curl_multi_add_handle(multi, transfer.easy)
                guard code == CURLM_OK else {
                    let message = "could not add the transfer: " + String(cString: curl_multi_strerror(code))
                    throw CurlError(code: Int(code.rawValue), message: message, url: request.url)
                }
                transfers[id] = transfer
            } catch {
                sink.finish(head: nil, error: error)
            }
        case .cancel(let id):
            guard let transfer = transfers.removeValue(forKey: id) else { return }
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.sink.finish(head: nil, error: CancellationError())
        case .resume(let id):
            guard let transfer = transfers[id] else { return }
            curl_easy_pause(transfer.easy, ccurl_pause_continue())
        }
    }

    private func collectFinishedTransfers(_ transfers: inout [UInt64: CurlEasyTransfer]) {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = ccurl_multi_message_result(message)
            var userData: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &userData)
            curl_multi_remove_handle(multi, easy)
            guard let userData else { continue }
            let transfer = CurlEasyTransfer.from(userData)
            transfers[transfer.id] = nil
            transfer.complete(code)
        }
    }
}
