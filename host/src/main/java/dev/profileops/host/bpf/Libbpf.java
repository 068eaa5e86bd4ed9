package dev.profileops.host.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/**
 * The libbpf 1.x calls the recorder needs (libbpf.so.1, see libbpf's libbpf.h and bpf.h). In libbpf
 * 1.x calls returning a pointer give NULL and set errno on failure; calls returning int give a
 * negative errno.
 */
public interface Libbpf {
  int libbpf_major_version();

  int libbpf_minor_version();

  @SaveError
  Pointer bpf_object__open_mem(Pointer buffer, long size, Pointer options);

  int bpf_object__load(Pointer object);

  void bpf_object__close(Pointer object);

  Pointer bpf_object__find_program_by_name(Pointer object, String name);

  int bpf_program__set_autoload(Pointer program, boolean autoload);

  @SaveError
  Pointer bpf_program__attach(Pointer program);

  int bpf_link__destroy(Pointer link);

  Pointer bpf_object__find_map_by_name(Pointer object, String name);

  int bpf_map__fd(Pointer map);

  /** The map's initial image (e.g. {@code .rodata}), writable until the object is loaded. */
  Pointer bpf_map__initial_value(Pointer map, Pointer sizeOut);

  int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

  int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

  int bpf_map_delete_elem(int fd, Pointer key);

  int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

  int libbpf_strerror(int error, Pointer buffer, long size);
}
