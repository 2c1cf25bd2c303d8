import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Keeps the daemon's HTTP server answering whatever clients do: a request must arrive whole
/// within ``Limits/requestReadTimeout`` of the connection's start (or of the previous response),
/// and at most ``Limits/maxConnections`` are open at once. At the limit, the connection that has
/// waited longest for its request is closed to let a new one in, so idle or slow clients (a
/// slowloris) cannot crowd out health checks and webhooks, which send their request at once.
final class ConnectionGuard: Sendable {
    /// How much the server tolerates.
    struct Limits: Sendable {
        var maxConnections = 512
        var requestReadTimeout = TimeAmount.seconds(10)
    }

    let limits: Limits
    private let state = Mutex(State())

    private struct State {
        /// Counts connections and their waits, so the oldest wait can be found.
        var tick = 0
        /// Open connections by serial, with the tick at which each began waiting for a request
        /// (nil while it is being answered).
        var open: [Int: (channel: any Channel, waitingSince: Int?)] = [:]
    }

    init(limits: Limits) {
        self.limits = limits
    }

    /// The handler for one connection's pipeline.
    func handler() -> Handler { Handler(guard: self) }

    /// Counts a new connection, and returns its serial; at the limit, closes the one that has
    /// waited longest for a request first, or returns nil when every other one is being answered.
    fileprivate func admit(_ channel: any Channel) -> Int? {
        let (serial, evicted): (Int?, (any Channel)?) = state.withLock { state in
            var evicted: (any Channel)?
            if state.open.count >= limits.maxConnections {
                let waiting = state.open.compactMap { serial, connection in
                    connection.waitingSince.map { (serial, $0) }
                }
                guard let (oldest, _) = waiting.min(by: { $0.1 < $1.1 }) else { return (nil, nil) }
                evicted = state.open.removeValue(forKey: oldest)?.channel
            }
            state.tick += 1
            state.open[state.tick] = (channel, state.tick)
            return (state.tick, evicted)
        }
        evicted?.close(promise: nil)
        return serial
    }

    /// The connection is waiting for a request (or reading one), or is being answered.
    fileprivate func mark(_ serial: Int, waiting: Bool) {
        state.withLock { state in
            guard let connection = state.open[serial] else { return }
            state.tick += 1
            state.open[serial] = (connection.channel, waiting ? state.tick : nil)
        }
    }

    fileprivate func release(_ serial: Int) {
        _ = state.withLock { $0.open.removeValue(forKey: serial) }
    }

    /// One connection's guard: between the HTTP decoder and Hummingbird's request handling.
    final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        private let owner: ConnectionGuard
        private var serial: Int?
        private var timeout: Scheduled<Void>?

        fileprivate init(guard owner: ConnectionGuard) {
            self.owner = owner
        }

        func handlerAdded(context: ChannelHandlerContext) {
            guard let serial = owner.admit(context.channel) else {
                context.close(promise: nil)
                return
            }
            self.serial = serial
            arm(context)
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            timeout?.cancel()
            if let serial { owner.release(serial) }
            serial = nil
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .end = unwrapInboundIn(data), let serial {
                // The request is in: answering it may take as long as it takes.
                timeout?.cancel()
                owner.mark(serial, waiting: false)
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data), let serial {
                owner.mark(serial, waiting: true)
                arm(context)
            }
            context.write(data, promise: promise)
        }

        /// Closes the connection unless a whole request arrives in time.
        private func arm(_ context: ChannelHandlerContext) {
            timeout?.cancel()
            let channel = context.channel
            timeout = context.eventLoop.scheduleTask(in: owner.limits.requestReadTimeout) {
                channel.close(promise: nil)
            }
        }
    }
}
