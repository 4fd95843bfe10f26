package org.jocker.engine.image;

/** One build step of an image, as `jocker history` shows it; {@code layerSize} is -1 for none. */
public record HistoryEntry(String layerId, String created, String createdBy, long layerSize, String comment) {}
