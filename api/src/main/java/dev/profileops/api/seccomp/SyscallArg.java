package dev.profileops.api.seccomp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** A condition on one syscall argument. */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public class SyscallArg {
  private int index;
  private long value;
  private long valueTwo;
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private ArgOperator op;

  public int getIndex() { return index; }
  public void setIndex(int index) { this.index = index; }
  public long getValue() { return value; }
  public void setValue(long value) { this.value = value; }
  public long getValueTwo() { return valueTwo; }
  public void setValueTwo(long valueTwo) { this.valueTwo = valueTwo; }
  public ArgOperator getOp() { return op; }
  public void setOp(ArgOperator op) { this.op = op; }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyscallArg a && index == a.index && value == a.value && valueTwo == a.valueTwo && op == a.op;
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, value, valueTwo, op);
  }
}
