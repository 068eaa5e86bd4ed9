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
#define MAX_RECORDINGS 4096  /* a power of two: slots are handed out round robin */
#define MAX_TRACKED 1024
#define NO_SLOT 0xffffffffu

/* Flags of a recording. */
#define RECORDING_OVERFLOW 1u  /* a syscall number >= SYSCALL_BITS was seen (x32 or an unknown one) */

/* One slot of the recordings array. A slot is free when namespace_id is 0. */
struct recording {
	__u64 syscalls[SYSCALL_BITS / 64];
	__u64 namespace_id;  /* the namespace's id that is never reused (see above) */
	__u64 cgroup_id;     /* cgroup v2 id of the process whose exec started the recording */
	__u32 mntns;         /* the namespace's inode number, as in /proc/PID/ns/mnt */
	__u32 first_pid;     /* that process */
	__u32 flags;
	__u32 unused;
};

/* Set by user space before load: constants to the verifier and the JIT. */
struct recorder_settings {
	__u32 excluded_mntns[2];  /* the host's mount namespace and the recorder's own */
	__u32 tracked_only;       /* 1: only namespaces whose inode is in "tracked" are recorded */
};

const volatile struct recorder_settings settings = {};

/* The next slot to hand out (modulo MAX_RECORDINGS). */
__u32 next_slot = 0;
/* Bumped whenever a recording starts: per-CPU slot caches are then stale. */
__u32 generation = 0;

/* The recordings, in slots handed out round robin: when all are used, the oldest is reused. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_RECORDINGS);
	__type(key, __u32);
	__type(value, struct recording);
} recordings SEC(".maps");

/* Namespace id -> slot in recordings. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_RECORDINGS);
	__type(key, __u64);
	__type(value, __u32);
} slots SEC(".maps");

/* Inode numbers of the namespaces user space asked for, in tracked-only mode. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_TRACKED);
	__type(key, __u32);
	__type(value, __u8);
} tracked SEC(".maps");

/* Per CPU, the slot of the namespace last seen there (NO_SLOT: none), valid for one generation:
 * a syscall storm then costs array lookups only, not a hash lookup per syscall. */
struct slot_cache {
	__u64 namespace_id;
	__u32 slot;
	__u32 generation;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct slot_cache);
} last_slot SEC(".maps");

static __always_inline __u64 namespace_id(struct mnt_namespace *ns)
{
	if (bpf_core_field_exists(((struct ns_common___with_id *)0)->ns_id))
		return ((struct ns_common___with_id *)&ns->ns)->ns_id;
	if (bpf_core_field_exists(((struct mnt_namespace___with_seq *)0)->seq))
		return ((struct mnt_namespace___with_seq *)ns)->seq;
	return (__u64)ns;
}

/* The mount namespace of the current task, or NULL for the two never recorded. */
static __always_inline struct mnt_namespace *recorded_namespace(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mnt_namespace *ns = task->nsproxy->mnt_ns;
	__u32 inum = ns->ns.inum;
	if (inum == settings.excluded_mntns[0] || inum == settings.excluded_mntns[1] || inum == 0)
		return NULL;
	return ns;
}

/* A successful exec: the first one in a namespace starts its recording. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(start_recording, struct task_struct *p, int old_pid, void *bprm)
{
	struct mnt_namespace *ns = recorded_namespace();
	if (!ns)
		return 0;
	__u64 key = namespace_id(ns);
	if (bpf_map_lookup_elem(&slots, &key))
		return 0;
	__u32 inum = ns->ns.inum;
	if (settings.tracked_only) {
		if (!bpf_map_lookup_elem(&tracked, &inum))
			return 0;
		/* One namespace per request: a later one given the same inode is not asked for. */
		bpf_map_delete_elem(&tracked, &inum);
	}
	__u32 slot = __sync_fetch_and_add(&next_slot, 1) & (MAX_RECORDINGS - 1);
	struct recording *rec = bpf_map_lookup_elem(&recordings, &slot);
	if (!rec)
		return 0;
	__u64 previous = rec->namespace_id;
	if (previous)
		bpf_map_delete_elem(&slots, &previous);  /* the oldest recording makes room */
	rec->namespace_id = 0;
	for (int i = 0; i < SYSCALL_BITS / 64; i++)
		rec->syscalls[i] = 0;
	rec->cgroup_id = bpf_get_current_cgroup_id();
	rec->mntns = inum;
	rec->first_pid = bpf_get_current_pid_tgid() >> 32;
	rec->flags = 0;
	rec->namespace_id = key;
	bpf_map_update_elem(&slots, &key, &slot, BPF_ANY);
	__sync_fetch_and_add(&generation, 1);
	return 0;
}

/* Every syscall: one bit in its namespace's recording, if it has one. */
SEC("tp_btf/sys_enter")
int BPF_PROG(record_syscall, struct pt_regs *regs, long id)
{
	struct mnt_namespace *ns = recorded_namespace();
	if (!ns)
		return 0;
	__u64 key = namespace_id(ns);
	__u32 zero = 0;
	struct slot_cache *cache = bpf_map_lookup_elem(&last_slot, &zero);
	if (!cache)
		return 0;
	__u32 now = generation;
	__u32 slot;
	if (cache->namespace_id == key && cache->generation == now) {
		slot = cache->slot;
	} else {
		__u32 *found = bpf_map_lookup_elem(&slots, &key);
		slot = found ? *found : NO_SLOT;
		cache->namespace_id = key;
		cache->slot = slot;
		cache->generation = now;
	}
	if (slot == NO_SLOT)
		return 0;
	struct recording *rec = bpf_map_lookup_elem(&recordings, &slot);
	if (!rec || rec->namespace_id != key)
		return 0;  /* forgotten by user space */
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
