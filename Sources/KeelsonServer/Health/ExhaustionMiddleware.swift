import Hummingbird
import KeelsonCore
import Logging

/// Answers 503 (with what ran out) for a request that failed because open files or disk space
/// ran out, instead of a bare 500, and notes it in the ``ResourceHealth`` that `/readyz` reports.
struct ExhaustionMiddleware<Context: RequestContext>: RouterMiddleware {
    let health: ResourceHealth
    let home: String
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            guard let cause = ResourceExhaustion.cause(of: error, home: home) else { throw error }
            health.ranOut(cause)
            logger.error("\(request.method) \(request.uri.path): \(error)")
            throw HTTPError(.serviceUnavailable, message: "\(error)")
        }
    }
}
