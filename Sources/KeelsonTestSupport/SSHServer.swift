import Foundation

/// A real OpenSSH `sshd` on 127.0.0.1, run in the foreground as a child process for the life of
/// this value: a temporary ed25519 host key, public-key authentication only, for the user running
/// the tests (root included), with `authorized_keys` in a temporary folder.
///
/// sshd runs under a small Python guard that picks a free port (retrying when the bind races),
/// reports it once sshd listens, stops sshd's whole process group on SIGTERM, and exits when the
/// test process is gone. sshd itself gets `PR_SET_PDEATHSIG`, so even a SIGKILLed guard takes it
/// along: nothing outlives a killed test run.
public final class SSHServer: Sendable {
    public static let sshdPath = "/usr/sbin/sshd"

    /// Whether `sshd` (Debian `openssh-server`) and `ssh-keygen` are installed.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: sshdPath) && Command.which("ssh-keygen") != nil
    }

    public let folder: TemporaryFolder
    private let guardProcess: LoopbackServer
    public var port: Int { guardProcess.port }
    /// The user sshd lets in: whoever runs the tests.
    public let user: String
    /// The host's public key as `type base64`, without a comment.
    public let hostPublicKey: String
    /// sshd's log (`-e`, `LogLevel VERBOSE`): one "Failed publickey"/"Accepted publickey" line per
    /// key the client offers.
    public let logPath: String
    private let authorizedKeysPath: String

    public init() throws {
        folder = try TemporaryFolder("keelson-sshd")
        user = SSHServer.currentUser
        let hostKey = folder.appending("host_ed25519")
        try SSHKeyPair.generate(at: hostKey)
        hostPublicKey = try SSHKeyPair.publicKeyLine(hostKey + ".pub")
        authorizedKeysPath = folder.appending("authorized_keys")
        try Data().write(to: URL(fileURLWithPath: authorizedKeysPath))
        logPath = folder.appending("sshd.log")
        let configPath = folder.appending("sshd_config")
        try Data(
            """
            ListenAddress 127.0.0.1
            AddressFamily inet
            HostKey \(hostKey)
            AuthorizedKeysFile \(authorizedKeysPath)
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            AllowUsers \(user)
            StrictModes no
            UsePAM no
            PidFile none
            UseDNS no
            LogLevel VERBOSE

            """.utf8
        ).write(to: URL(fileURLWithPath: configPath))
        // The privilege-separation folder; a fresh container has none.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        do {
            guardProcess = try LoopbackServer(
                python: SSHServer.guardScript, arguments: [SSHServer.sshdPath, configPath, logPath])
        } catch {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw Command.Failure(command: "\(SSHServer.sshdPath) -D -e -f \(configPath)", status: -1, output: log)
        }
    }

    /// The line a known_hosts file needs to trust this server: `[127.0.0.1]:<port> ssh-ed25519 AAAA…`.
    public var knownHostsLine: String { "[127.0.0.1]:\(port) \(hostPublicKey)" }

    /// `ssh://<user>@127.0.0.1:<port><absolute path>`.
    public func url(path: String) -> String {
        "ssh://\(user)@127.0.0.1:\(port)\(path.hasPrefix("/") ? "" : "/")\(path)"
    }

    /// Lets the holder of `publicKeyLine` (`ssh-ed25519 AAAA… comment`) in.
    public func authorize(_ publicKeyLine: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: authorizedKeysPath))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((publicKeyLine.trimmingCharacters(in: .whitespacesAndNewlines) + "\n").utf8))
    }

    /// Lets the holder of `key` in.
    public func authorize(_ key: SSHKeyPair) throws {
        try authorize(try String(contentsOfFile: key.publicKeyPath, encoding: .utf8))
    }

    /// sshd's log so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    static var currentUser: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return NSUserName()
    }

    /// Starts `argv[1]` (sshd) with the config `argv[2]`, logging to `argv[3]`, on a free port.
    private static let guardScript = #"""
        import ctypes, os, signal, socket, subprocess, sys, time
        # The test process may start us with SIGTERM and others blocked; sshd must get them.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        sshd, config, log = sys.argv[1:4]
        parent = os.getppid()
        libc = ctypes.CDLL(None, use_errno=True)
        # Connection processes that outlive the listener come to us rather than to a PID 1 that
        # may never reap them (as in a container).
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
        child = None

        def die_with_guard():
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG

        def stop_child():
            if child is None or child.poll() is not None:
                return
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(child.pid, sig)
                except ProcessLookupError:
                    return
                for _ in range(40):
                    if child.poll() is not None:
                        return
                    time.sleep(0.025)

        def stop(*_):
            stop_child()
            deadline = time.time() + 0.5
            try:
                while time.time() < deadline:
                    if os.waitpid(-1, os.WNOHANG)[0] == 0:
                        time.sleep(0.02)
            except ChildProcessError:
                pass
            os._exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, stop)

        for attempt in range(10):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            s.close()
            start = os.path.getsize(log) if os.path.exists(log) else 0
            with open(log, "ab") as out:
                child = subprocess.Popen(
                    [sshd, "-D", "-e", "-f", config, "-p", str(port)],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                    preexec_fn=die_with_guard, start_new_session=True)
            deadline = time.time() + 10
            ready = False
            while time.time() < deadline and child.poll() is None:
                with open(log, "rb") as f:
                    f.seek(start)
                    if b"Server listening on" in f.read():
                        ready = True
                        break
                time.sleep(0.02)
            if ready:
                break
            stop_child()
        else:
            sys.exit(1)

        print(port, flush=True)
        while os.getppid() == parent and child.poll() is None:
            time.sleep(0.2)
        stop()
        """#
}

/// A running `ssh-agent -D -a <socket>` for the life of this value, under the same kind of guard
/// as `SSHServer`.
public final class SSHAgent: Sendable {
    public let folder: TemporaryFolder
    private let guardProcess: LoopbackServer
    /// What `SSH_AUTH_SOCK` must name.
    public let socketPath: String

    public init() throws {
        // A short path: Unix socket addresses hold about 100 bytes.
        folder = try TemporaryFolder("ka")
        socketPath = folder.appending("agent.sock")
        // A copy without Debian's set-group-ID bit, which would clear PR_SET_PDEATHSIG.
        guard let installed = Command.which("ssh-agent") else {
            throw Command.Failure(command: "ssh-agent", status: -1, output: "not installed (Debian openssh-client)")
        }
        let agentPath = folder.appending("ssh-agent")
        try FileManager.default.copyItem(atPath: installed, toPath: agentPath)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: agentPath)
        guardProcess = try LoopbackServer(python: SSHAgent.guardScript, arguments: [agentPath, socketPath])
    }

    /// Adds an unencrypted key (`ssh-add`).
    public func add(_ key: SSHKeyPair) throws {
        try Command.run(["ssh-add", key.privateKeyPath], environment: ["SSH_AUTH_SOCK": socketPath])
    }

    /// The keys the agent holds (`ssh-add -L`).
    public func listKeys() throws -> String {
        try Command.run(["ssh-add", "-L"], environment: ["SSH_AUTH_SOCK": socketPath])
    }

    private static let guardScript = #"""
        import ctypes, os, signal, socket, subprocess, sys, time
        # The test process may start us with SIGTERM and others blocked; ssh-agent must get them.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        agent, sock = sys.argv[1:3]
        parent = os.getppid()
        libc = ctypes.CDLL(None, use_errno=True)

        def die_with_guard():
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG

        child = subprocess.Popen([agent, "-D", "-a", sock], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 preexec_fn=die_with_guard, start_new_session=True)

        def stop(*_):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(child.pid, sig)
                except ProcessLookupError:
                    break
                for _ in range(40):
                    if child.poll() is not None:
                        os._exit(0)
                    time.sleep(0.025)
            os._exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, stop)
        # Ready once it accepts: the socket file appears at bind(), before listen(), and a
        # client in between is refused (a CI run's `ssh-add` was).
        def accepts():
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(sock)
                return True
            except OSError:
                return False
            finally:
                probe.close()

        deadline = time.time() + 10
        while not accepts():
            if child.poll() is not None or time.time() > deadline:
                stop()
            time.sleep(0.02)
        print(0, flush=True)
        while os.getppid() == parent and child.poll() is None:
            time.sleep(0.2)
        stop()
        """#
}

/// An SSH key pair made with `ssh-keygen -t ed25519`, optionally encrypted with a passphrase.
public struct SSHKeyPair: Sendable {
    public let privateKeyPath: String
    public var publicKeyPath: String { privateKeyPath + ".pub" }

    /// Makes a key at `folder/name`.
    public init(in folder: TemporaryFolder, name: String = "id_ed25519", passphrase: String = "") throws {
        privateKeyPath = folder.appending(name)
        try SSHKeyPair.generate(at: privateKeyPath, passphrase: passphrase)
    }

    /// `ssh-ed25519 AAAA…` without the comment.
    public func publicKey() throws -> String {
        try SSHKeyPair.publicKeyLine(publicKeyPath)
    }

    static func generate(at path: String, passphrase: String = "") throws {
        try Command.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "keelson-test", "-f", path])
    }

    static func publicKeyLine(_ path: String) throws -> String {
        let fields = try String(contentsOfFile: path, encoding: .utf8).split(separator: " ")
        guard fields.count >= 2 else {
            throw Command.Failure(command: "read \(path)", status: -1, output: "not an OpenSSH public key")
        }
        return "\(fields[0]) \(fields[1].trimmingCharacters(in: .whitespacesAndNewlines))"
    }
}

extension Command {
    /// The full path of `program` on `PATH`, if any.
    public static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
