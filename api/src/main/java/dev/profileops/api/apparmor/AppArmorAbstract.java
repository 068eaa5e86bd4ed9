package dev.profileops.api.apparmor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** The structured AppArmor policy: executables, files, network, capabilities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppArmorAbstract {
  private Executable executable;
  private Filesystem filesystem;
  private Network network;
  private Capability capability;

  public Executable getExecutable() { return executable; }
  public void setExecutable(Executable executable) { this.executable = executable; }
  public Filesystem getFilesystem() { return filesystem; }
  public void setFilesystem(Filesystem filesystem) { this.filesystem = filesystem; }
  public Network getNetwork() { return network; }
  public void setNetwork(Network network) { this.network = network; }
  public Capability getCapability() { return capability; }
  public void setCapability(Capability capability) { this.capability = capability; }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Executable {
    private List<String> allowedExecutables = new ArrayList<>();
    private List<String> allowedLibraries = new ArrayList<>();

    public List<String> getAllowedExecutables() { return allowedExecutables; }
    public void setAllowedExecutables(List<String> v) { this.allowedExecutables = v; }
    public List<String> getAllowedLibraries() { return allowedLibraries; }
    public void setAllowedLibraries(List<String> v) { this.allowedLibraries = v; }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Filesystem {
    private List<String> readOnlyPaths = new ArrayList<>();
    private List<String> writeOnlyPaths = new ArrayList<>();
    private List<String> readWritePaths = new ArrayList<>();

    public List<String> getReadOnlyPaths() { return readOnlyPaths; }
    public void setReadOnlyPaths(List<String> v) { this.readOnlyPaths = v; }
    public List<String> getWriteOnlyPaths() { return writeOnlyPaths; }
    public void setWriteOnlyPaths(List<String> v) { this.writeOnlyPaths = v; }
    public List<String> getReadWritePaths() { return readWritePaths; }
    public void setReadWritePaths(List<String> v) { this.readWritePaths = v; }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Network {
    private Boolean allowRaw;
    private Protocols allowedProtocols;

    public Boolean getAllowRaw() { return allowRaw; }
    public void setAllowRaw(Boolean allowRaw) { this.allowRaw = allowRaw; }
    public Protocols getAllowedProtocols() { return allowedProtocols; }
    public void setAllowedProtocols(Protocols allowedProtocols) { this.allowedProtocols = allowedProtocols; }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Protocols {
    private Boolean allowTcp;
    private Boolean allowUdp;

    public Boolean getAllowTcp() { return allowTcp; }
    public void setAllowTcp(Boolean allowTcp) { this.allowTcp = allowTcp; }
    public Boolean getAllowUdp() { return allowUdp; }
    public void setAllowUdp(Boolean allowUdp) { this.allowUdp = allowUdp; }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Capability {
    private List<String> allowedCapabilities = new ArrayList<>();

    public List<String> getAllowedCapabilities() { return allowedCapabilities; }
    public void setAllowedCapabilities(List<String> v) { this.allowedCapabilities = v; }
  }
}
