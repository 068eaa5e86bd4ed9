package dev.profileops.host.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * {@link SyscallRecorder} backed by the BPF programs of {@code syscall_recorder.bpf.c} (built into this
 * jar by the host module's build), loaded and attached through libbpf: {@code start_recording} on
 * {@code tp_btf/sched_process_exec}, {@code record_syscall} on {@code tp_btf/sys_enter}.
 * Each call reads or writes the kernel's {@code recordings} map directly; nothing is buffered here.
 */
public final class LibbpfSyscallRecorder implements SyscallRecorder {
  /** The compiled program, packaged next to this class. */
  public static final String OBJECT_RESOURCE = "syscall_recorder.bpf.o";

  static final List<String> RECORDING_PROGRAMS = List.of("start_recording", "record_syscall");
  static final List<String> FLOOR_PROGRAMS = List.of("do_nothing");
  /** Every program in the object: those not asked for are not loaded. */
  private static final List<String> ALL_PROGRAMS = Stream.concat(RECORDING_PROGRAMS.stream(), FLOOR_PROGRAMS.stream()).toList();
  private static final int SYSCALL_BITS = 1024;
  private static final int CGROUP_NAME_LEN = 128;
  private static final int RECORDING_SIZE = SYSCALL_BITS / 8 + 8 + 8 + 4 * 4 + CGROUP_NAME_LEN;
  private static final int SETTINGS_SIZE = 12;
  private static final int FLAG_OVERFLOW = 1;
  private static final long BPF_ANY = 0;
  private static final int ENOENT = 2;

  private final Libbpf lib;
  private final Runtime runtime;
  private final Pointer objectBytes;
  private final Pointer object;
  private final List<String> programNames;
  private final RecorderSettings settings;
  private int recordingsFd = -1;
  private int slotsFd = -1;
  private int trackedFd = -1;
  private final Pointer key;
  private final Pointer nextKey;
  private final Pointer value;
  private final List<Pointer> links = new ArrayList<>();

  /** What the kernel program needs to know: the two mount namespaces it never records. */
  public record RecorderSettings(long hostMountNamespace, long ownMountNamespace) {}

  private LibbpfSyscallRecorder(Libbpf lib, List<String> programNames, RecorderSettings settings) {
    this.lib = lib;
    this.runtime = Runtime.getRuntime(lib);
    this.programNames = programNames;
    this.settings = settings;
    byte[] elf = readObject();
    this.objectBytes = Memory.allocateDirect(runtime, elf.length);
    objectBytes.put(0, elf, 0, elf.length);
    this.object = lib.bpf_object__open_mem(objectBytes, elf.length, null);
    if (object == null || object.address() == 0) {
      throw new BpfException("libbpf could not open " + OBJECT_RESOURCE + ": " + strerror(-LastError.getLastError(runtime)));
    }
    try {
      for (String name : ALL_PROGRAMS) {
        lib.bpf_program__set_autoload(program(name), programNames.contains(name));
      }
    } catch (RuntimeException e) {
      lib.bpf_object__close(object);
      throw e;
    }
    this.key = Memory.allocateDirect(runtime, 8);
    this.nextKey = Memory.allocateDirect(runtime, 8);
    this.value = Memory.allocateDirect(runtime, RECORDING_SIZE);
  }

  /** Loads libbpf.so.1; throws {@link UnsatisfiedLinkError} when it is not installed. */
  public static Libbpf loadLibrary() {
    return LibraryLoader.create(Libbpf.class).failImmediately().load("libbpf.so.1");
  }

  /** Opens the recording programs; {@link #start} loads and attaches them. */
  public static LibbpfSyscallRecorder load(Libbpf lib, RecorderSettings settings) {
    return new LibbpfSyscallRecorder(lib, RECORDING_PROGRAMS, settings);
  }

  /**
   * Loads only the program that does nothing, for benchmarks: attached, it costs what any program on
   * {@code sys_enter} costs.
   */
  public static LibbpfSyscallRecorder loadFloor(Libbpf lib, RecorderSettings settings) {
    return new LibbpfSyscallRecorder(lib, FLOOR_PROGRAMS, settings);
  }

  @Override
  public String version() {
    return "libbpf " + lib.libbpf_major_version() + "." + lib.libbpf_minor_version();
  }

  @Override
  public synchronized void start(boolean trackedOnly) {
    if (recordingsFd >= 0) {
      throw new IllegalStateException("the recorder is already started");
    }
    writeSettings(trackedOnly);
    int loaded = lib.bpf_object__load(object);
    if (loaded != 0) {
      throw new BpfException("the kernel refused the BPF program (libbpf printed the verifier log above): " + strerror(loaded));
    }
    recordingsFd = mapFd("recordings");
    slotsFd = mapFd("slots");
    trackedFd = mapFd("tracked");
    for (String name : programNames) {
      Pointer attached = lib.bpf_program__attach(program(name));
      if (attached == null || attached.address() == 0) {
        String error = strerror(-LastError.getLastError(runtime));
        detach();
        throw new BpfException("could not attach " + name + ": " + error);
      }
      links.add(attached);
    }
  }

  private void detach() {
    for (Pointer link : links) {
      lib.bpf_link__destroy(link);
    }
    links.clear();
  }

  /** The {@code settings} constant in {@code .rodata}: the verifier and the JIT see its values. */
  private void writeSettings(boolean trackedOnly) {
    Pointer rodata = lib.bpf_object__find_map_by_name(object, ".rodata");
    if (rodata == null || rodata.address() == 0) {
      throw new BpfException(OBJECT_RESOURCE + " has no .rodata");
    }
    Pointer size = Memory.allocateDirect(runtime, 8);
    Pointer image = lib.bpf_map__initial_value(rodata, size);
    if (image == null || image.address() == 0 || size.getLong(0) < SETTINGS_SIZE) {
      throw new BpfException(OBJECT_RESOURCE + ": .rodata is not the expected settings struct");
    }
    image.putInt(0, (int) settings.hostMountNamespace());
    image.putInt(4, (int) settings.ownMountNamespace());
    image.putInt(8, trackedOnly ? 1 : 0);
  }

  private void requireStarted() {
    if (recordingsFd < 0) {
      throw new IllegalStateException("the recorder is not started");
    }
  }

  @Override
  public synchronized void track(long mountNamespace) {
    requireStarted();
    key.putInt(0, (int) mountNamespace);
    value.putByte(0, (byte) 1);
    check(lib.bpf_map_update_elem(trackedFd, key, value, BPF_ANY), "track mount namespace " + mountNamespace);
  }

  @Override
  public synchronized void untrack(long mountNamespace) {
    requireStarted();
    key.putInt(0, (int) mountNamespace);
    int result = lib.bpf_map_delete_elem(trackedFd, key);
    if (result != -ENOENT) {
      check(result, "untrack mount namespace " + mountNamespace);
    }
  }

  @Override
  public synchronized List<MountNamespaceRecording> recordings() {
    requireStarted();
    Map<Long, Integer> slotOf = new LinkedHashMap<>();
    Pointer previous = null;
    while (lib.bpf_map_get_next_key(slotsFd, previous, nextKey) == 0) {
      long id = nextKey.getLong(0);
      key.putLong(0, id);
      if (lib.bpf_map_lookup_elem(slotsFd, key, value) == 0) {
        slotOf.put(id, value.getInt(0));
      }
      previous = key;
    }
    List<MountNamespaceRecording> all = new ArrayList<>();
    slotOf.forEach((id, slot) -> readSlot(slot).filter(r -> r.namespaceId() == id).ifPresent(all::add));
    return all;
  }

  @Override
  public synchronized void forget(MountNamespaceRecording recording) {
    requireStarted();
    key.putLong(0, recording.namespaceId());
    if (lib.bpf_map_lookup_elem(slotsFd, key, value) != 0) {
      return;
    }
    int slot = value.getInt(0);
    int deleted = lib.bpf_map_delete_elem(slotsFd, key);
    if (deleted != -ENOENT) {
      check(deleted, "forget the recording of mount namespace " + recording.mountNamespace());
    }
    if (readSlot(slot).filter(r -> r.namespaceId() == recording.namespaceId()).isPresent()) {
      // namespace_id 0 frees the slot; the kernel program then ignores it
      value.setMemory(0, RECORDING_SIZE, (byte) 0);
      key.putInt(0, slot);
      check(lib.bpf_map_update_elem(recordingsFd, key, value, BPF_ANY), "free slot " + slot);
    }
  }

  private Optional<MountNamespaceRecording> readSlot(int slot) {
    key.putInt(0, slot);
    check(lib.bpf_map_lookup_elem(recordingsFd, key, value), "read recording slot " + slot);
    return value.getLong(SYSCALL_BITS / 8) == 0 ? Optional.empty() : Optional.of(decode());
  }

  @Override
  public synchronized void close() {
    detach();
    lib.bpf_object__close(object);
  }

  private MountNamespaceRecording decode() {
    long[] words = new long[SYSCALL_BITS / 64];
    for (int i = 0; i < words.length; i++) {
      words[i] = value.getLong(i * 8L);
    }
    int at = SYSCALL_BITS / 8;
    long namespaceId = value.getLong(at);
    long cgroupId = value.getLong(at + 8);
    long mountNamespace = Integer.toUnsignedLong(value.getInt(at + 16));
    long firstPid = Integer.toUnsignedLong(value.getInt(at + 20));
    int flags = value.getInt(at + 24);
    byte[] name = new byte[CGROUP_NAME_LEN];
    value.get(at + 32, name, 0, CGROUP_NAME_LEN);
    int end = 0;
    while (end < name.length && name[end] != 0) {
      end++;
    }
    return new MountNamespaceRecording(namespaceId, mountNamespace, BitSet.valueOf(words), firstPid, cgroupId,
        (flags & FLAG_OVERFLOW) != 0, new String(name, 0, end, StandardCharsets.UTF_8));
  }

  private Pointer program(String name) {
    Pointer program = lib.bpf_object__find_program_by_name(object, name);
    if (program == null || program.address() == 0) {
      throw new BpfException(OBJECT_RESOURCE + " has no program " + name);
    }
    return program;
  }

  private int mapFd(String name) {
    Pointer map = lib.bpf_object__find_map_by_name(object, name);
    if (map == null || map.address() == 0) {
      throw new BpfException(OBJECT_RESOURCE + " has no map " + name);
    }
    return lib.bpf_map__fd(map);
  }

  private void check(int result, String what) {
    if (result != 0) {
      throw new BpfException("could not " + what + ": " + strerror(result));
    }
  }

  private String strerror(int error) {
    Pointer buffer = Memory.allocateDirect(runtime, 256);
    lib.libbpf_strerror(error, buffer, 256);
    return buffer.getString(0) + " (" + error + ")";
  }

  private static byte[] readObject() {
    try (InputStream in = LibbpfSyscallRecorder.class.getResourceAsStream(OBJECT_RESOURCE)) {
      if (in == null) {
        throw new BpfException(OBJECT_RESOURCE + " is missing from the classpath (the host module's build compiles it with clang)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new BpfException("cannot read " + OBJECT_RESOURCE + ": " + e);
    }
  }

  /** A libbpf or kernel refusal, with libbpf's words for it. */
  public static final class BpfException extends RuntimeException {
    public BpfException(String message) {
      super(message);
    }
  }
}
