"""A throwaway sshd on 127.0.0.1, key auth only, for running rasd over a real SSH session."""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import missing

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class SshServer:
    port: int
    key: Path
    known_hosts: Path
    user: str

    def command(self, remote: str) -> str:
        """The local command line that runs `remote` on the server in a real pty."""
        opts = [
            "-tt",
            "-F",
            "/dev/null",
            "-i",
            str(self.key),
            "-p",
            str(self.port),
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            f"UserKnownHostsFile={self.known_hosts}",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "SendEnv=LANG COLORTERM NO_COLOR",
            "-o",
            "SetEnv=TERM=xterm-256color",
        ]
        return shlex.join(["ssh", *opts, f"{self.user}@127.0.0.1", remote])


@contextmanager
def sshd(workdir: Path) -> Iterator[SshServer]:
    if not Path(SSHD).exists() or not shutil.which("ssh"):
        missing("OpenSSH (Debian openssh-server, openssh-client)")
    workdir.mkdir(parents=True, exist_ok=True)
    host_key, user_key = workdir / "host_ed25519", workdir / "user_ed25519"
    for key in (host_key, user_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    authorized = workdir / "authorized_keys"
    authorized.write_text(user_key.with_suffix(".pub").read_text())
    authorized.chmod(0o600)
    port = free_port()
    known = workdir / "known_hosts"
    known.write_text(f"[127.0.0.1]:{port} {host_key.with_suffix('.pub').read_text()}")
    pid_file = workdir / "sshd.pid"
    config = workdir / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"ListenAddress 127.0.0.1:{port}",
                f"HostKey {host_key}",
                f"PidFile {pid_file}",
                f"AuthorizedKeysFile {authorized}",
                "AuthenticationMethods publickey",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "StrictModes no",
                "PrintMotd no",
                "AcceptEnv LANG LC_* COLORTERM NO_COLOR TEXTUAL_*",
                "PermitUserEnvironment no",
                "",
            ]
        )
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    subprocess.run([SSHD, "-f", str(config), "-E", str(workdir / "sshd.log")], check=True)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            time.sleep(0.05)
        yield SshServer(port, user_key, known, getpass.getuser())
    finally:
        with suppress(Exception):
            os.kill(int(pid_file.read_text()), 15)
