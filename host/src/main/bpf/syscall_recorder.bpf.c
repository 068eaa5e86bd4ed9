// SPDX-License-Identifier: GPL-2.0
/*
 * Records which syscalls the processes of each mount namespace make: one bitmap of syscall numbers
 * per mount namespace, kept in the kernel. User space reads a namespace's bitmap when it wants it;
 * no event ever goes to user space per syscall.
 *
 * A namespace's recording starts at the first successful execve(at) inside it (sched_process_exec),
 * so what a container runtime does in the new namespace before it hands over to the workload (runc
 * init: mounts, pivot_root, loading the seccomp filter) is not recorded, nor a failed exec's path.
 *
 * CO-RE without vmlinux.h: the three kernel structs walked below are declared here with only the
 * fields read, and preserve_access_index makes libbpf relocate their offsets against the running
 * kernel's BTF (/sys/kernel/btf/vmlinux) at load time.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct mnt_namespace {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct nsproxy {
	struct mnt_namespace *mnt_ns;
} __attribute__((preserve_access_index));

/* Mount namespace inode numbers are reused as soon as a namespace is freed, so recordings are keyed
 * by an id that is not: ns_common.ns_id (6.18+) or mnt_namespace.seq (before), failing both the
 * struct's address. */
struct ns_common___with_id {
	__u64 ns_id;
} __attribute__((preserve_access_index));

struct mnt_namespace___with_seq {
	__u64 seq;
} __attribute__((preserve_access_index));

struct task_struct {
	struct nsproxy *nsproxy;
} __attribute__((preserve_access_index));

#define SYSCALL_BITS 1024
#define MAX_RECORDINGS 4096
#define MAX_TRACKED 1024

/* Flags of a recording. */
#define RECORDING_OVERFLOW 1u  /* a syscall number >= SYSCALL_BITS was seen (x32 or an unknown one) */

struct recording {
	__u64 syscalls[SYSCALL_BITS / 64];
	__u64 cgroup_id;  /* cgroup v2 id of that process */
	__u32 mntns;      /* the namespace's inode number, as in /proc/PID/ns/mnt */
	__u32 first_pid;  /* the process whose exec started the recording */
	__u32 flags;
	__u32 unused;
};

/* Set by user space after load, before attach. */
struct recorder_config {
	__u32 excluded_mntns[2];  /* the host's mount namespace and the recorder's own */
	__u32 tracked_only;       /* 1: only namespaces whose inode is in "tracked" are recorded */
	__u32 unused;
};

/* Keyed by the namespace id that is never reused. LRU: when full, the recordings longest untouched
 * (those of namespaces long dead) make room. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_RECORDINGS);
	__type(key, __u64);
	__type(value, struct recording);
} recordings SEC(".maps");

/* Inode numbers of the namespaces user space asked for, in tracked-only mode. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_TRACKED);
	__type(key, __u32);
	__type(value, __u8);
} tracked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct recorder_config);
} config SEC(".maps");

static __always_inline __u64 namespace_id(struct mnt_namespace *ns)
{
	if (bpf_core_field_exists(((struct ns_common___with_id *)0)->ns_id))
		return ((struct ns_common___with_id *)&ns->ns)->ns_id;
	if (bpf_core_field_exists(((struct mnt_namespace___with_seq *)0)->seq))
		return ((struct mnt_namespace___with_seq *)ns)->seq;
	return (__u64)ns;
}

/* The mount namespace of the current task, or NULL for the two never recorded. */
static __always_inline struct mnt_namespace *recorded_namespace(const struct recorder_config *cfg)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mnt_namespace *ns = task->nsproxy->mnt_ns;
	__u32 inum = ns->ns.inum;
	if (inum == cfg->excluded_mntns[0] || inum == cfg->excluded_mntns[1] || inum == 0)
		return NULL;
	return ns;
}

/* A successful exec: the first one in a namespace starts its recording. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(start_recording, struct task_struct *p, int old_pid, void *bprm)
{
	__u32 zero = 0;
	struct recorder_config *cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg)
		return 0;
	struct mnt_namespace *ns = recorded_namespace(cfg);
	if (!ns)
		return 0;
	__u64 key = namespace_id(ns);
	if (bpf_map_lookup_elem(&recordings, &key))
		return 0;
	__u32 inum = ns->ns.inum;
	if (cfg->tracked_only) {
		if (!bpf_map_lookup_elem(&tracked, &inum))
			return 0;
		/* One namespace per request: a later one given the same inode is not asked for. */
		bpf_map_delete_elem(&tracked, &inum);
	}
	struct recording fresh = {};
	fresh.mntns = inum;
	fresh.cgroup_id = bpf_get_current_cgroup_id();
	fresh.first_pid = bpf_get_current_pid_tgid() >> 32;
	bpf_map_update_elem(&recordings, &key, &fresh, BPF_NOEXIST);  /* fails quietly when full */
	return 0;
}

/* Every syscall: one bit in its namespace's recording, if it has one. */
SEC("tp_btf/sys_enter")
int BPF_PROG(record_syscall, struct pt_regs *regs, long id)
{
	__u32 zero = 0;
	struct recorder_config *cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg)
		return 0;
	struct mnt_namespace *ns = recorded_namespace(cfg);
	if (!ns)
		return 0;
	__u64 key = namespace_id(ns);
	struct recording *rec = bpf_map_lookup_elem(&recordings, &key);
	if (!rec)
		return 0;
	if (id < 0 || id >= SYSCALL_BITS) {
		if (!(rec->flags & RECORDING_OVERFLOW))
			__sync_fetch_and_or(&rec->flags, RECORDING_OVERFLOW);
		return 0;
	}
	__u64 bit = 1ull << (id & 63);
	/* Test before the atomic write: after the first few syscalls every bit is already set, and a
	 * plain read keeps the cache line shared between CPUs. */
	if (!(rec->syscalls[id >> 6] & bit))
		__sync_fetch_and_or(&rec->syscalls[id >> 6], bit);
	return 0;
}

/* Attached alone by the benchmark: the cost of having any program on sys_enter (the floor). */
SEC("tp_btf/sys_enter")
int BPF_PROG(do_nothing, struct pt_regs *regs, long id)
{
	return 0;
}
