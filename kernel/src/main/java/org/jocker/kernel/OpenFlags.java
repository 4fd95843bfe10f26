package org.jocker.kernel;

/**
 * open(2)'s flags, for {@link Descriptor#open} and {@link InRoot#open}. O_DIRECTORY and O_NOFOLLOW
 * have other values on aarch64 than in the generic table x86_64 uses.
 */
public final class OpenFlags {
  private static final boolean ARM = System.getProperty("os.arch").equals("aarch64");

  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_RDWR = 2;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_TRUNC = 01000;
  public static final int O_NONBLOCK = 04000;
  public static final int O_DIRECTORY = ARM ? 040000 : 0200000;
  public static final int O_NOFOLLOW = ARM ? 0100000 : 0400000;
  public static final int O_CLOEXEC = 02000000;
  /** A handle that names a file without opening it for reading or writing (a step of a walk). */
  public static final int O_PATH = 010000000;

  private OpenFlags() {}
}
