package org.jocker.images.registry;

import java.io.InputStream;

/**
 * A blob's bytes from {@code offset} on, and how many follow ({@code -1} when the registry did not
 * say). The caller closes the stream.
 */
record BlobResponse(InputStream body, long offset, long length) {}
