package dev.profileops.api.source;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One problem of the last attempt, where it is in the repository. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FileError {
  private String file;
  private Integer line;
  private String field;
  private String message;

  public FileError() {}

  public FileError(String file, Integer line, String field, String message) {
    this.file = file;
    this.line = line;
    this.field = field;
    this.message = message;
  }

  public String getFile() { return file; }
  public void setFile(String file) { this.file = file; }
  public Integer getLine() { return line; }
  public void setLine(Integer line) { this.line = line; }
  public String getField() { return field; }
  public void setField(String field) { this.field = field; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
