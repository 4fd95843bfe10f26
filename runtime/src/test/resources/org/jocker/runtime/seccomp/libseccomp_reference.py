"""The independent reference for Jocker's seccomp compiler: libseccomp (Debian's python3-seccomp).

Reads one JSON request on stdin and writes one JSON answer on stdout, so a test needs one process:
  request: {"names": [syscall names], "profiles": [OCI linux.seccomp objects]}
  answer:  {"numbers": {"SCMP_ARCH_X86_64": {name: n, ...}, ...},
            "filters": [{"bpf": base64 struct sock_filter[], "skipped": [names]}, ...]}
A number is the one the kernel reports (x32 with its 0x40000000 bit), "multiplexed" for the i386
socket and SysV IPC calls (libseccomp's table only knows them behind socketcall/ipc; its filters add
the direct numbers too), "absent" when libseccomp knows the name but not on that ABI, "unknown" when
libseccomp does not know the name at all.

Filters are built as runc builds them: rules whose action is the default action are dropped
(libseccomp refuses them), names libseccomp does not know are skipped, every listed ABI is added.
"""
import base64
import ctypes
import json
import sys
import tempfile

import seccomp

NR_SCMP_ERROR = -1
ARCHES = {
    "SCMP_ARCH_X86_64": seccomp.Arch.X86_64,
    "SCMP_ARCH_X86": seccomp.Arch.X86,
    "SCMP_ARCH_X32": seccomp.Arch.X32,
}
OPS = {
    "SCMP_CMP_NE": seccomp.NE,
    "SCMP_CMP_LT": seccomp.LT,
    "SCMP_CMP_LE": seccomp.LE,
    "SCMP_CMP_EQ": seccomp.EQ,
    "SCMP_CMP_GE": seccomp.GE,
    "SCMP_CMP_GT": seccomp.GT,
    "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ,
}
EPERM = 1

# The binding's resolve_syscall() applies libseccomp's socketcall/ipc rewriting on i386; the plain
# per-ABI table lookup is the C call seccomp_syscall_resolve_name_arch().
_libseccomp = ctypes.CDLL("libseccomp.so.2")
_resolve = _libseccomp.seccomp_syscall_resolve_name_arch
_resolve.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
_resolve.restype = ctypes.c_int
_libseccomp.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
_libseccomp.seccomp_syscall_resolve_name.restype = ctypes.c_int


# libseccomp's pseudo numbers for calls reached through socketcall(2) (-101..-120) and ipc(2) (-201..-224).
MULTIPLEXED = set(range(-120, -100)) | set(range(-224, -200))


def resolve(arch, name):
    number = _resolve(arch & 0xFFFFFFFF, name.encode())
    if number >= 0:
        return number
    if number == NR_SCMP_ERROR:
        return "unknown"
    return "multiplexed" if arch == seccomp.Arch.X86 and number in MULTIPLEXED else "absent"


def action(name, data):
    if name == "SCMP_ACT_ERRNO":
        return seccomp.ERRNO(EPERM if data is None else data)
    if name == "SCMP_ACT_TRACE":
        return seccomp.TRACE(0 if data is None else data)
    simple = {
        "SCMP_ACT_ALLOW": seccomp.ALLOW,
        "SCMP_ACT_KILL": seccomp.KILL,
        "SCMP_ACT_KILL_THREAD": seccomp.KILL,
        "SCMP_ACT_KILL_PROCESS": seccomp.KILL_PROCESS,
        "SCMP_ACT_TRAP": seccomp.TRAP,
        "SCMP_ACT_LOG": seccomp.LOG,
    }
    return simple[name]


def build(profile):
    default = action(profile["defaultAction"], profile.get("defaultErrnoRet"))
    syscall_filter = seccomp.SyscallFilter(default)
    # libseccomp 2.5 kills only the thread on a foreign ABI; Jocker kills the process, deliberately.
    syscall_filter.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)
    for arch in profile.get("architectures") or []:
        if not syscall_filter.exist_arch(ARCHES[arch]):
            syscall_filter.add_arch(ARCHES[arch])
    skipped = []
    for rule in profile.get("syscalls") or []:
        rule_action = action(rule["action"], rule.get("errnoRet"))
        if rule_action == default:
            continue
        indexes = [arg["index"] for arg in rule.get("args") or []]
        if len(indexes) != len(set(indexes)):
            # runc turns these into separate (ORed) rules; Jocker ANDs them. Not a libseccomp question.
            raise ValueError("two conditions on one argument: %s" % rule)
        args = [
            seccomp.Arg(arg["index"], OPS[arg["op"]], arg["value"], arg.get("valueTwo") or 0)
            for arg in rule.get("args") or []
        ]
        for name in rule["names"]:
            if _libseccomp.seccomp_syscall_resolve_name(name.encode()) == NR_SCMP_ERROR:
                skipped.append(name)
                continue
            syscall_filter.add_rule(rule_action, name, *args)
    with tempfile.TemporaryFile() as out:
        syscall_filter.export_bpf(out)
        out.seek(0)
        bpf = out.read()
    return {"bpf": base64.b64encode(bpf).decode(), "skipped": skipped}


def main():
    request = json.load(sys.stdin)
    numbers = {
        arch: {name: resolve(token, name) for name in request["names"]}
        for arch, token in ARCHES.items()
    }
    filters = [build(profile) for profile in request["profiles"]]
    json.dump({"numbers": numbers, "filters": filters}, sys.stdout)


if __name__ == "__main__":
    main()
