package dev.profileops.nodedaemon.enricher.source;

import dev.profileops.nodedaemon.enricher.parse.AuditLineParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A log file read like {@code tail -F}: from its end (or start), across rotation (the path names a
 * new file: the old one is read to its end first, and again for a few polls in case its writer had
 * not reopened yet) and truncation (the file got shorter: read again from the start). A missing file
 * is waited for. Lines longer than the parser takes are cut, so it reports them.
 */
public final class FollowedFile implements LineSource {
  /** Polls during which a rotated-away file is still drained (writers reopen on a signal). */
  private static final int RETIRED_POLLS = 5;

  private final Path path;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private final LineBuilder line = new LineBuilder(AuditLineParser.MAX_LINE_LENGTH + 1);
  private boolean fromStart;
  private FileChannel current;
  private Object currentKey;
  private long lineNumber;
  private FileChannel retired;
  private final LineBuilder retiredLine = new LineBuilder(AuditLineParser.MAX_LINE_LENGTH + 1);
  private long retiredLineNumber;
  private int retiredPolls;
  private boolean linesRead;

  public FollowedFile(Path path, boolean fromStart) {
    this.path = path;
    this.fromStart = fromStart;
  }

  @Override
  public boolean poll(LineSink sink) throws IOException {
    linesRead = false;
    if (retired != null) {
      retiredLineNumber = drain(retired, retiredLine, retiredLineNumber, path + ".rotated", sink);
      if (++retiredPolls >= RETIRED_POLLS) {
        closeRetired(sink);
      }
    }
    if (current == null && !open()) {
      return false;
    }
    lineNumber = drain(current, line, lineNumber, path.toString(), sink);
    BasicFileAttributes now = attributes();
    if (now != null && !Objects.equals(now.fileKey(), currentKey)) {
      // rotated: what the old file got until now is read, then the new one from its start
      lineNumber = drain(current, line, lineNumber, path.toString(), sink);
      closeRetired(sink);
      retired = current;
      retiredLine.takeFrom(line);
      retiredLineNumber = lineNumber;
      retiredPolls = 0;
      current = null;
      fromStart = true;
      if (open()) {
        lineNumber = drain(current, line, lineNumber, path.toString(), sink);
      }
    } else if (now != null && now.size() < current.position()) {
      current.position(0); // truncated in place (copytruncate)
      line.clear();
      lineNumber = 0;
      lineNumber = drain(current, line, lineNumber, path.toString(), sink);
    }
    return linesRead;
  }

  private boolean open() throws IOException {
    // Java cannot fstat a channel: the file it opened is the one the path named before and after
    while (true) {
      BasicFileAttributes before = attributes();
      try {
        current = FileChannel.open(path, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return false;
      }
      BasicFileAttributes after = attributes();
      if (before != null && after != null && Objects.equals(before.fileKey(), after.fileKey())) {
        currentKey = after.fileKey();
        break;
      }
      current.close(); // rotated while opening: open the newest
      current = null;
    }
    lineNumber = 0;
    line.clear();
    if (!fromStart) {
      current.position(current.size());
      lineNumber = -1; // unknown: we did not count the lines we skipped
    }
    return true;
  }

  private BasicFileAttributes attributes() throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private long drain(FileChannel channel, LineBuilder partial, long number, String name, LineSink sink) throws IOException {
    long n = number;
    while (true) {
      buffer.clear();
      int read = channel.read(buffer);
      if (read <= 0) {
        return n;
      }
      byte[] bytes = buffer.array();
      for (int i = 0; i < read; i++) {
        if (bytes[i] == '\n') {
          if (n >= 0) {
            n++;
          }
          sink.accept(partial.take(), n >= 0 ? name + ":" + n : name);
          linesRead = true;
        } else {
          partial.append(bytes[i]);
        }
      }
    }
  }

  private void closeRetired(LineSink sink) throws IOException {
    if (retired != null) {
      retired.close();
      retired = null;
      if (!retiredLine.isEmpty()) {
        sink.accept(retiredLine.take(), path + ".rotated:end");
        linesRead = true;
      }
    }
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
    }
    if (retired != null) {
      retired.close();
    }
  }

  /** The bytes of the line being read, capped (the rest of an overlong line is dropped). */
  private static final class LineBuilder {
    private final int cap;
    private byte[] bytes = new byte[512];
    private int length;

    LineBuilder(int cap) {
      this.cap = cap;
    }

    void append(byte b) {
      if (length == cap) {
        return;
      }
      if (length == bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.min(cap, bytes.length * 2));
      }
      bytes[length++] = b;
    }

    String take() {
      String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
      length = 0;
      return text;
    }

    boolean isEmpty() {
      return length == 0;
    }

    void clear() {
      length = 0;
    }

    void takeFrom(LineBuilder other) {
      bytes = java.util.Arrays.copyOf(other.bytes, other.bytes.length);
      length = other.length;
      other.length = 0;
    }
  }
}
