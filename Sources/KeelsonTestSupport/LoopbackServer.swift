import Foundation

/// A helper server on 127.0.0.1, run as a child process for the life of this value. Its first
/// line of output is the port it listens on.
public final class LoopbackServer: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only terminated in deinit.
    private let process: Process
    public let port: Int
    private let folder: TemporaryFolder

    /// Starts `python3` with `script` and `arguments`.
    public init(python script: String, arguments: [String] = []) throws {
        folder = try TemporaryFolder("keelson-server")
        let scriptPath = folder.appending("server.py")
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", scriptPath] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(GitFixture.environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard let port = Int(output.fileHandleForReading.readLine()) else {
            process.terminate()
            throw Command.Failure(command: "python3 \(scriptPath)", status: -1, output: "no port printed")
        }
        self.port = port
    }

    deinit {
        // Not `waitUntilExit()`: it spins a run loop that can wait forever inside a test process.
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        for _ in 0..<100 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(pid, SIGKILL) }
    }

    /// A server that accepts connections and never answers: a remote that hangs.
    public static func silent() throws -> LoopbackServer {
        try LoopbackServer(
            python: orphanGuard + """
                import socket, time
                s = socket.socket()
                s.bind(("127.0.0.1", 0))
                s.listen(16)
                print(s.getsockname()[1], flush=True)
                held = []
                while True:
                    c, _ = s.accept()
                    held.append(c)
                """)
    }

    /// Git's smart HTTP protocol over the bare repositories in `root`, through the real
    /// `git http-backend`, requiring HTTP Basic authentication as `user` / `token`. Every request
    /// appends `ok`, `challenged` or `refused` to `log`.
    public static func gitHTTP(root: String, user: String, token: String, log: String) throws -> LoopbackServer {
        try LoopbackServer(python: orphanGuard + gitHTTPScript, arguments: [root, user, token, log])
    }

    /// Ends the server when the test process that started it is gone, killed runs included, and
    /// unblocks SIGTERM, which children of the test process inherit blocked.
    private static let orphanGuard = """
        import os, signal, threading, time
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        def _exit_with_parent(parent=os.getppid()):
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=_exit_with_parent, daemon=True).start()

        """

    private static let gitHTTPScript = #"""
        import base64, http.server, os, subprocess, sys
        root, user, token, log = sys.argv[1:5]
        expected = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def record(self, what):
                with open(log, "a") as f:
                    f.write(what + "\n")
            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))
            def handle_any(self):
                data = self.body() if self.command == "POST" else b""
                auth = self.headers.get("Authorization")
                if auth != expected:
                    self.record("refused" if auth else "challenged")
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="keelson-test"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.record("ok")
                path, _, query = self.path.partition("?")
                env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path,
                           QUERY_STRING=query, REQUEST_METHOD=self.command, REMOTE_USER=user,
                           CONTENT_TYPE=self.headers.get("Content-Type", ""), CONTENT_LENGTH=str(len(data)),
                           GIT_HTTP_RECEIVE_PACK="1")
                out = subprocess.run(["git", "http-backend"], input=data, env=env, capture_output=True).stdout
                head, _, payload = out.partition(b"\r\n\r\n")
                status = 200
                headers = []
                for line in head.decode().split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "status":
                        status = int(value.strip().split()[0])
                    elif name:
                        headers.append((name, value.strip()))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            do_GET = handle_any
            do_POST = handle_any

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
