# A seccomp agent for SeccompNotifyTest: receives each process's listener with runc's
# ContainerProcessState at the socket argv[1], appends the JSON as one line to argv[2], and
# answers the notified calls without running them: mkdir/mkdirat "succeed", rmdir fails with
# ENOMEDIUM, anything else gets EPERM.
import errno
import fcntl
import socket
import struct
import sys
import threading

SECCOMP_IOCTL_NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif), 80 bytes
SECCOMP_IOCTL_NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp), 24 bytes
MKDIR, RMDIR, MKDIRAT = 83, 84, 258  # x86_64


def serve(fd):
    while True:
        notif = bytearray(80)
        try:
            fcntl.ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, notif)
        except OSError:
            return
        req_id, _pid, _flags, nr = struct.unpack_from("=QIIi", notif)
        if nr in (MKDIR, MKDIRAT):
            error = 0
        elif nr == RMDIR:
            error = -errno.ENOMEDIUM
        else:
            error = -errno.EPERM
        try:
            fcntl.ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, struct.pack("=QqiI", req_id, 0, error, 0))
        except OSError:
            pass  # the caller was killed meanwhile


server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1])
server.listen(4)
while True:
    conn, _ = server.accept()
    msg, fds, _, _ = socket.recv_fds(conn, 4096, 4)
    conn.close()
    with open(sys.argv[2], "ab") as out:
        out.write(msg + b"\n")
    for fd in fds:
        threading.Thread(target=serve, args=(fd,), daemon=True).start()
