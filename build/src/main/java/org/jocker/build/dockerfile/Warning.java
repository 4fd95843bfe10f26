package org.jocker.build.dockerfile;

/** Something Docker accepts but warns about (an empty continuation line, MAINTAINER...). */
public record Warning(int line, String message) {}
