package dev.profileops.nodedaemon.enricher.resolve;

import dev.profileops.host.seccomp.SyscallTable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names syscall numbers for the architecture of an audit line ({@code arch=c000003e}), with
 * libseccomp; names are cached per architecture, they never change.
 */
public final class SyscallNames {
  /** AUDIT_ARCH_* codes (linux/audit.h) as libseccomp names the architectures. */
  private static final Map<Long, String> ARCHITECTURES = Map.ofEntries(
      Map.entry(0xc000003eL, "x86_64"), Map.entry(0x40000003L, "x86"), Map.entry(0xc00000b7L, "aarch64"),
      Map.entry(0x40000028L, "arm"), Map.entry(0x80000015L, "ppc64"), Map.entry(0xc0000015L, "ppc64le"),
      Map.entry(0x00000014L, "ppc"), Map.entry(0x80000016L, "s390x"), Map.entry(0x00000016L, "s390"),
      Map.entry(0xc00000f3L, "riscv64"), Map.entry(0x80000008L, "mips64"), Map.entry(0xc0000008L, "mipsel64"),
      Map.entry(0x00000008L, "mips"), Map.entry(0x40000008L, "mipsel"), Map.entry(0xc0000102L, "loongarch64"));
  private static final int X32_SYSCALL_BIT = 0x40000000;
  private static final int CACHED_NUMBERS = 1024;

  private final SyscallTable table;
  private final Map<String, String[]> cache = new ConcurrentHashMap<>();

  public SyscallNames(SyscallTable table) {
    this.table = table;
  }

  /** libseccomp's name of an audit architecture code, or its hex code when unknown. */
  public static String architecture(long auditArch) {
    String name = ARCHITECTURES.get(auditArch);
    return name != null ? name : auditArch < 0 ? "" : Long.toHexString(auditArch);
  }

  /** The syscall's name, or its number as text when libseccomp does not know it (or is missing). */
  public String name(long auditArch, int number) {
    if (number < 0) {
      return "";
    }
    String arch = architecture(auditArch);
    if (auditArch == 0xc000003eL && (number & X32_SYSCALL_BIT) != 0) {
      arch = "x32";
    }
    if (number >= CACHED_NUMBERS) {
      return lookup(arch, number);
    }
    String[] names = cache.computeIfAbsent(arch, a -> new String[CACHED_NUMBERS]);
    String name = names[number];
    if (name == null) {
      name = lookup(arch, number);
      names[number] = name;
    }
    return name;
  }

  private String lookup(String arch, int number) {
    if (!table.available() || !table.knowsArchitecture(arch)) {
      return Integer.toString(number);
    }
    return table.name(arch, number).orElse(Integer.toString(number));
  }
}
