package org.jocker.engine.image;

import java.util.List;

/**
 * One image as `jocker images` lists it.
 *
 * @param references familiar names ("busybox:latest"); empty for a dangling image
 * @param created RFC 3339, from the image config (may be null)
 * @param size bytes of its layers as stored
 */
public record ImageSummary(String id, List<String> references, List<String> digests, String created, long size) {}
