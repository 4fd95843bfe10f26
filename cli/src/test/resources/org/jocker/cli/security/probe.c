/*
 * Breakout probes for BreakoutCliTest, run inside a container. Each probe attempts one known
 * escape with the raw system call and prints one line "NAME RESULT": RESULT is "ok" when the call
 * succeeded, else the errno's name (EPERM, EROFS, ...). Nothing here is destructive when it
 * succeeds: every write puts back what it read, and sysrq, reboot or the clock are never touched.
 *
 *   probe breakout HOSTPID HOSTMARKER MAJOR MINOR   the escapes of a default container
 *   probe exes                                       CVE-2019-5736: write every /proc/PID/exe
 *                                                    seen, until /tmp/stop exists
 *   probe swap A B                                   CVE-2018-15664: exchange A and B in a loop,
 *                                                    until /tmp/stop exists
 *   probe plant DIR TARGET A B                       once DIR/A (or B) appears, a symlink to
 *                                                    TARGET at DIR/B (or A), until /tmp/stop exists
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void report(const char *name, long rc) {
  printf("%s %s\n", name, rc < 0 ? strerrorname_np(errno) : "ok");
  fflush(stdout);
}

/* Opens PATH with FLAGS, reads (up to 4 KiB) when readable: "ok" only if bytes came back. */
static void read_probe(const char *name, const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0) {
    report(name, -1);
    return;
  }
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0) {
    report(name, -1);
  } else {
    printf("%s %s\n", name, n == 0 ? "empty" : "ok");
  }
  close(fd);
}

static void open_write_probe(const char *name, const char *path) {
  int fd = open(path, O_WRONLY);
  report(name, fd);
  if (fd >= 0) {
    close(fd); /* opened only: nothing is written */
  }
}

static void caps(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, "Cap", 3) == 0 || strncmp(line, "NoNewPrivs", 10) == 0 || strncmp(line, "Seccomp:", 8) == 0) {
      char key[64], value[64];
      if (sscanf(line, "%63[^:]:%63s", key, value) == 2) {
        printf("%s %s\n", key, value);
      }
    }
  }
  if (f) {
    fclose(f);
  }
}

static void mknod_open(const char *name, mode_t type, unsigned major, unsigned minor) {
  char path[64], label[64];
  snprintf(path, sizeof path, "/tmp/%s", name);
  unlink(path);
  snprintf(label, sizeof label, "mknod_%s", name);
  report(label, mknod(path, type | 0600, makedev(major, minor)));
  snprintf(label, sizeof label, "open_%s", name);
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  report(label, fd);
  if (fd >= 0) {
    close(fd);
  }
  unlink(path);
}

/* Runs fn in a child (it may change its root or namespaces); the child's exit code is an errno. */
static void in_child(const char *name, int (*fn)(const char *), const char *arg) {
  pid_t pid = fork();
  if (pid == 0) {
    _exit(fn(arg));
  }
  int status;
  waitpid(pid, &status, 0);
  int err = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
  printf("%s %s\n", name, err == 0 ? "ok" : strerrorname_np(err));
}

/* The classic chroot escape: chroot deeper, climb past the root, chroot there, look for a host file. */
static int chroot_escape(const char *marker) {
  mkdir("/tmp/jail", 0700);
  if (chroot("/tmp/jail") < 0) {
    return errno;
  }
  for (int i = 0; i < 64; i++) {
    if (chdir("..") < 0) {
      return errno;
    }
  }
  if (chroot(".") < 0) {
    return errno;
  }
  struct stat st;
  return stat(marker, &st) < 0 ? errno : 0;
}

static int clone_user(const char *unused) {
  (void) unused;
  long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    _exit(0);
  }
  if (pid < 0) {
    return errno;
  }
  waitpid((pid_t) pid, NULL, 0);
  return 0;
}

/* "Shocker": open the filesystem's root inode by a forged handle through a bind-mounted host file. */
static void shocker(void) {
  struct {
    struct file_handle h;
    unsigned char bytes[8];
  } handle = {.h = {.handle_bytes = 8, .handle_type = 1}};
  unsigned int root_ino = 2, generation = 0;
  memcpy(handle.h.f_handle, &root_ino, 4);
  memcpy(handle.h.f_handle + 4, &generation, 4);
  int mfd = open("/etc/hosts", O_RDONLY);
  long fd = syscall(SYS_open_by_handle_at, mfd, &handle.h, O_RDONLY);
  report("open_by_handle_at", fd);
  if (fd >= 0) {
    close((int) fd);
  }
  close(mfd);
}

/* "ns_NAME net:[INODE]" for each namespace, for the test to compare with the host's. */
static void namespaces(void) {
  const char *names[] = {"mnt", "pid", "net", "ipc", "uts", "cgroup", "user"};
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
    char path[64], link[128];
    snprintf(path, sizeof path, "/proc/self/ns/%s", names[i]);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    printf("ns_%s %s\n", names[i], n < 0 ? strerrorname_np(errno) : link);
  }
}

static void breakout(int hostpid, const char *marker, unsigned major, unsigned minor) {
  caps();
  namespaces();
  mkdir("/tmp/mnt", 0755);
  report("mount_tmpfs", mount("none", "/tmp/mnt", "tmpfs", 0, ""));
  report("mount_cgroup", mount("cgroup", "/tmp/mnt", "cgroup", 0, "memory"));
  report("mount_proc", mount("proc", "/tmp/mnt", "proc", 0, ""));
  report("remount_proc_sys_rw", mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
  report("umount_proc_sys", umount2("/proc/sys", MNT_DETACH));
  report("umount_proc_kcore", umount2("/proc/kcore", MNT_DETACH));
  report("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
  report("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */));
  report("pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp"));

  static char image[64];
  report("init_module", syscall(SYS_init_module, image, sizeof image, ""));
  int self = open("/proc/self/exe", O_RDONLY);
  report("finit_module", syscall(SYS_finit_module, self, "", 0));
  close(self);
  report("delete_module", syscall(SYS_delete_module, "ext4", O_NONBLOCK));
  report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
  report("iopl", iopl(3));

  open_write_probe("write_proc_sys_hostname", "/proc/sys/kernel/hostname");
  open_write_probe("write_core_pattern", "/proc/sys/kernel/core_pattern");
  open_write_probe("write_panic", "/proc/sys/kernel/panic");
  open_write_probe("write_sysrq_trigger", "/proc/sysrq-trigger");
  open_write_probe("write_sys_kernel", "/sys/kernel/mm/transparent_hugepage/enabled");
  report("mkdir_sys_fs_cgroup", mkdir("/sys/fs/cgroup/escape", 0755));

  read_probe("read_kcore", "/proc/kcore");
  read_probe("read_keys", "/proc/keys");
  read_probe("read_timer_list", "/proc/timer_list");
  read_probe("read_kmsg", "/dev/kmsg");
  mknod_open("kmsg", S_IFCHR, 1, 11);
  mknod_open("mem", S_IFCHR, 1, 1);
  mknod_open("rootdev", S_IFBLK, major, minor);

  report("ptrace_host", ptrace(PTRACE_ATTACH, hostpid, NULL, NULL));
  report("kill_host", kill(hostpid, 0));
  char hostproc[64];
  snprintf(hostproc, sizeof hostproc, "/proc/%d/mem", hostpid);
  report("open_host_mem", open(hostproc, O_RDONLY));

  report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
  report("add_key", syscall(SYS_add_key, "user", "probe", "x", 1, KEY_SPEC_PROCESS_KEYRING));
  report("request_key", syscall(SYS_request_key, "user", "probe", NULL, KEY_SPEC_PROCESS_KEYRING));
  report("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC));
  union bpf_attr attr = {.map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1};
  report("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
  struct perf_event_attr pe = {.type = PERF_TYPE_SOFTWARE, .size = sizeof pe, .config = PERF_COUNT_SW_CPU_CLOCK};
  report("perf_event_open", syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0));

  report("unshare_user", unshare(CLONE_NEWUSER));
  report("unshare_mnt", unshare(CLONE_NEWNS));
  in_child("clone_newuser", clone_user, NULL);
  report("clone3", syscall(SYS_clone3, NULL, 0));
  int ns = open("/proc/self/ns/mnt", O_RDONLY);
  report("setns", setns(ns, 0));
  close(ns);
  shocker();
  in_child("chroot_escape", chroot_escape, marker);
}

/* What one attempt on a process's executable gave: printed once per process and outcome. */
struct seen {
  int pid;
  char what[96];
};
static struct seen seen[4096];
static int nseen;

static void once(int pid, const char *comm, const char *how, const char *result) {
  char what[96];
  snprintf(what, sizeof what, "%s %s %s", comm, how, result);
  for (int i = 0; i < nseen; i++) {
    if (seen[i].pid == pid && strcmp(seen[i].what, what) == 0) {
      return;
    }
  }
  if (nseen < (int) (sizeof seen / sizeof seen[0])) {
    seen[nseen].pid = pid;
    strcpy(seen[nseen++].what, what);
  }
  printf("exe %d %s\n", pid, what);
}

/*
 * Writes back the first byte through fd: "ok" means a file that is not the container's own
 * busybox could have been changed ("own": the container may write its own files).
 */
static const char *write_back(int fd) {
  char byte;
  if (pread(fd, &byte, 1, 0) != 1 || pwrite(fd, &byte, 1, 0) != 1) {
    return strerrorname_np(errno);
  }
  struct stat written, own;
  if (fstat(fd, &written) == 0 && stat("/bin/busybox", &own) == 0 && written.st_dev == own.st_dev
      && written.st_ino == own.st_ino) {
    return "own";
  }
  return "ok";
}

/*
 * CVE-2019-5736, until /tmp/stop exists: every /proc/PID/exe but our own is opened read-write
 * (its first byte written back), and opened O_PATH and kept, to be reopened read-write through
 * /proc/self/fd once its process has exited (the original exploit's way around ETXTBSY).
 */
static void exes(void) {
  struct held {
    int fd, pid;
    char comm[64];
  } held[256];
  int nheld = 0;
  pid_t me = getpid();
  struct stat st;
  while (stat("/tmp/stop", &st) < 0) {
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
      int pid = atoi(e->d_name);
      if (pid <= 0 || pid == me) {
        continue;
      }
      char path[64], comm[64] = "?";
      snprintf(path, sizeof path, "/proc/%d/comm", pid);
      FILE *c = fopen(path, "r");
      if (c) {
        if (fscanf(c, "%63s", comm) != 1) {
          strcpy(comm, "?");
        }
        fclose(c);
      }
      snprintf(path, sizeof path, "/proc/%d/exe", pid);
      int fd = open(path, O_RDWR);
      if (fd < 0) {
        if (errno != ENOENT) {
          once(pid, comm, "open", strerrorname_np(errno));
        }
      } else {
        once(pid, comm, "write", write_back(fd));
        close(fd);
      }
      int already = 0;
      for (int i = 0; i < nheld; i++) {
        already |= held[i].pid == pid;
      }
      if (!already && nheld < 256 && (fd = open(path, O_PATH)) >= 0) {
        held[nheld].fd = fd;
        held[nheld].pid = pid;
        snprintf(held[nheld++].comm, sizeof held[0].comm, "%s", comm);
      }
    }
    if (d) {
      closedir(d);
    }
    for (int i = 0; i < nheld; i++) {
      char path[64];
      snprintf(path, sizeof path, "/proc/self/fd/%d", held[i].fd);
      int fd = open(path, O_RDWR);
      if (fd < 0) {
        once(held[i].pid, held[i].comm, "reopen", strerrorname_np(errno));
      } else {
        once(held[i].pid, held[i].comm, "rewrite", write_back(fd));
        close(fd);
      }
    }
    fflush(stdout);
    usleep(1000);
  }
  printf("done\n");
}

/* CVE-2018-15664: swaps two paths (a directory and a symlink) atomically, as fast as it can, until /tmp/stop exists. */
static void swap(const char *a, const char *b) {
  struct stat st;
  long swaps = 0;
  while (stat("/tmp/stop", &st) < 0) {
    for (int i = 0; i < 1000; i++) {
      if (syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) < 0) {
        report("swap", -1);
        return;
      }
      swaps++;
    }
  }
  printf("swaps %ld\n", swaps);
}

/*
 * Waits for a copy into DIR to begin (A or B appears) and at once plants a symlink to TARGET at
 * the other name, in a loop until /tmp/stop exists: the copy must not write through it.
 */
static void plant(const char *dir, const char *target, const char *a, const char *b) {
  char pa[256], pb[256];
  snprintf(pa, sizeof pa, "%s/%s", dir, a);
  snprintf(pb, sizeof pb, "%s/%s", dir, b);
  struct stat st;
  long planted = 0;
  while (stat("/tmp/stop", &st) < 0) {
    if (lstat(pa, &st) == 0 && symlink(target, pb) == 0) {
      planted++;
    }
    if (lstat(pb, &st) == 0 && symlink(target, pa) == 0) {
      planted++;
    }
  }
  printf("planted %ld\n", planted);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc == 6 && strcmp(argv[1], "breakout") == 0) {
    breakout(atoi(argv[2]), argv[3], (unsigned) atoi(argv[4]), (unsigned) atoi(argv[5]));
  } else if (argc == 4 && strcmp(argv[1], "swap") == 0) {
    swap(argv[2], argv[3]);
  } else if (argc == 6 && strcmp(argv[1], "plant") == 0) {
    plant(argv[2], argv[3], argv[4], argv[5]);
  } else if (argc == 2 && strcmp(argv[1], "exes") == 0) {
    exes();
  } else {
    fprintf(stderr, "usage: probe breakout HOSTPID MARKER MAJOR MINOR | probe exes | probe swap A B | probe plant DIR TARGET A B\n");
    return 2;
  }
  return 0;
}
