package dev.profileops.api.seccomp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** One {@code syscalls[]} entry: an action for a set of syscall names, maybe with argument conditions. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SyscallRule {
  private List<String> names = new ArrayList<>();
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private SeccompAction action;
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private Long errnoRet;
  private List<SyscallArg> args = new ArrayList<>();

  public SyscallRule() {}

  public SyscallRule(List<String> names, SeccompAction action) {
    this.names = new ArrayList<>(names);
    this.action = action;
  }

  public List<String> getNames() { return names; }
  public void setNames(List<String> names) { this.names = names; }
  public SeccompAction getAction() { return action; }
  public void setAction(SeccompAction action) { this.action = action; }
  public Long getErrnoRet() { return errnoRet; }
  public void setErrnoRet(Long errnoRet) { this.errnoRet = errnoRet; }
  public List<SyscallArg> getArgs() { return args; }
  public void setArgs(List<SyscallArg> args) { this.args = args; }
}
